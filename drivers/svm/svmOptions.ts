// The knobs that turn the reference svm_range driver into the legacy design or a known bug.
export interface SvmOptions {
  /** The design seed 004 replaced: one actual_loc per range, whole-range migration, CPU faults split ranges. */
  legacy?: boolean;
  /** Handle retry faults while munmap's drain is pending and on ranges being removed (no svm_range_skip_recover). */
  noDrain?: boolean;
  /** set_attr splits overlapping ranges before checking the request is valid, and keeps the splits on error. */
  splitBeforeValidate?: boolean;
  /** The fault's migration window is the aligned granularity block, not clipped to the range. */
  windowNotClipped?: boolean;
  /** The MMU_NOTIFY_UNMAP callback leaves the GPU unmap to the deferred worker. */
  deferGpuUnmap?: boolean;
  /** VRAM given back by an evicted or freed BO is reused while its struct page is still referenced. */
  reuseReferencedPages?: boolean;
  /** Splitting a range shares its VRAM node without taking a reference for the new piece. */
  doubleUnrefSplit?: boolean;
  /** Pages take BO references only when a migration fills the whole BO. */
  partialBoUncounted?: boolean;
  /** Eviction migrates the pages of one range only, then frees the BO. */
  evictOneRange?: boolean;
  /** When a range's last VRAM page leaves, its node pointer is cleared without dropping the reference. */
  leakNodeRef?: boolean;
  /**
   * max_svm_range_pages unscaled (a design parameter, not a bug): the cost policies of `svmcheck
   * compare` give a 16 GiB GPU's, so that a registered VMA is one range (MAX_RANGE_PAGES otherwise).
   */
  maxRangePages?: number;
}

/** Faults on unregistered addresses create ranges over this aligned window (kernel: 512 pages, 2^9). */
export const FAULT_WINDOW_LOG2 = 2;
