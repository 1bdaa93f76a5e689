// Counters kfd's procedures bump at the step where upstream kfd does what one of its open findings
// describes (drivers/kfd/kfdOpenFindings.ts asks whether a failed run went through it). They show in
// `--stats` like every counter; they change nothing.

/** svm_range_set_attr: "TODO: unmap ranges from GPU that lost access" (counterexamples/kfd-28dc3c4c7f7a). */
export const NO_ACCESS_GPU_KEEPS_PTES = 'set_attr: a GPU that lost access keeps its PTEs';

/**
 * An evicted range (prange->invalid set) was split: the new pieces start with invalid 0
 * (svm_range_new; svm_range_split_adjust does not copy it), so restore_work skips them
 * (counterexamples/kfd-9c3b878df1fc).
 */
export const EVICTED_RANGE_SPLIT = 'evicted range split: its new pieces start with invalid 0';

/**
 * svm_range_evict: `if (!mapped) return r;` for a range not mapped_to_gpu that GPUs may access, so
 * restore_work will not map it (counterexamples/kfd-f8338d3890b0, kfd-c91a4b6b6515).
 */
export const EVICT_SKIPS_UNMAPPED_RANGE = 'svm_range_evict: range not mapped_to_gpu, invalidation ignored';

/**
 * svm_range_evict with XNACK on evicted a GPU_ALWAYS_MAPPED range (queues quiesced, PTEs left for
 * restore_work) instead of unmapping it (counterexamples/kfd-9060788ac21b).
 */
export const ALWAYS_MAPPED_EVICTED = 'svm_range_evict: GPU_ALWAYS_MAPPED range evicted with XNACK on';

/**
 * svm_range_set_attr failed after svm_range_apply_attrs changed the ranges (validate_and_map's
 * -EAGAIN): the attributes stay, the mapping did not happen (counterexamples/kfd-61ecbdcbfbaf).
 */
export const SET_ATTR_FAILED_APPLIED = 'set_attr: failed after applying the attributes (not rolled back)';
