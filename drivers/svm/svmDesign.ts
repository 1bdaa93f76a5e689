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
}

/** Faults on unregistered addresses create ranges over this aligned window (kernel: 512 pages, 2^9). */
export const FAULT_WINDOW_LOG2 = 2;
