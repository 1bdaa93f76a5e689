// The design choices of the svm_range driver family. The reference is seed 004's design (mixed
// mappings, partial migration); `actualLoc` is the kfd design it replaced, a design of its own and
// not a bug switch. Bugs are no options here: a broken variant is a module in drivers/broken/ that
// replaces a step of the reference (withSteps), as a user's variant does.
export interface SvmDesign {
  /**
   * kfd before seed 004 (prange->actual_loc): one location per range, whole-range migration
   * assumed complete, one PTE kind per range, CPU faults split ranges. Its catalog entry is
   * kfd-legacy; it differs from the reference in four procedures and in the ranges' state
   * (actual_loc, which splits and clones copy), so it is a design of the family rather than a
   * one-step variant.
   */
  actualLoc?: boolean;
  /**
   * max_svm_range_pages unscaled: the cost policies of `svmcheck compare` give a 16 GiB GPU's, so
   * that a registered VMA is one range (MAX_RANGE_PAGES otherwise).
   */
  maxRangePages?: number;
  /**
   * amdkfd as it ships: a GPU PTE is writable unless the VMA lacks VM_WRITE or the range is
   * GPU_RO (svm_range_map_to_gpu: svm_range_get_pte_flags, then `if (readonly)`), whatever
   * hmm_range_fault reported for the page; the reference also honours each pfn's HMM_PFN_WRITE.
   * They differ on our own device-private pages, which hmm_range_fault reports as they are,
   * never faulting them for write (a read-only entry after mprotect or fork).
   */
  pteWriteFromVma?: boolean;
}

/** Faults on unregistered addresses create ranges over this aligned window (kernel: 512 pages, 2^9). */
export const FAULT_WINDOW_LOG2 = 2;
