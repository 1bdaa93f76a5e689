// amdkfd's per-process and per-range state beside the svm family's bookkeeping (drivers/svm/
// svmState.ts), for the XNACK-off paths of kfd_svm.c (read at 006ad514a50c): prange->invalid,
// svms->evicted_ranges and whether svms->restore_work is queued. Plain data, as the rest of State.drv.
import type { RangeView } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { driverState, driverStateView } from '../../model/touched.js';
import type { SvmRange, SvmState } from '../svm/svmState.js';

/** A range with kfd's eviction count: atomic_t prange->invalid (svm_range_new sets it to 0). */
export interface KfdRange extends SvmRange {
  /** Evictions since the range was last validated and mapped (XNACK off); absent: 0. */
  invalid?: number;
}

export interface KfdState extends SvmState {
  ranges: KfdRange[];
  /** svms->evicted_ranges, per pid. */
  evictedRanges: number[];
  /** Pids whose svms->restore_work is queued and not yet started. */
  restorePending: number[];
  /** Pids whose svm_range_list_fini is queued or running (kfd_process_wq_release). */
  fini: number[];
}

export const kfdState = (s: State): KfdState => driverState<KfdState>(s);
export const kfdStateView = (s: State): Readonly<KfdState> => driverStateView<KfdState>(s);

/** svms->evicted_ranges of process pid. */
export const evictedRangesOf = (s: State, pid: number): number => kfdStateView(s).evictedRanges[pid] ?? 0;

/** atomic_set(&svms->evicted_ranges, n) (the array is kept dense: no holes in plain data). */
export function setEvictedRanges(s: State, pid: number, n: number): void {
  const st = kfdState(s);
  while (st.evictedRanges.length <= pid) st.evictedRanges.push(0);
  st.evictedRanges[pid] = n;
}

/** The range's eviction count, prange->invalid. */
export const invalidOf = (r: Readonly<SvmRange>): number => (r as KfdRange).invalid ?? 0;

/** atomic_set(&prange->invalid, n). */
export function setInvalid(r: SvmRange, n: number): void {
  const k = r as KfdRange;
  if (n === 0) delete k.invalid;
  else k.invalid = n;
}

/** Whether svm_range_unmap_from_gpus or svm_range_evict sees the range mapped: prange->mapped_to_gpu. */
export function mappedToGpu(r: Readonly<SvmRange>): boolean {
  // The model keeps per-page GPU masks; kfd's flag is set when validate_and_map has mapped the
  // whole range and cleared when an unmap covers it whole. Any page mapped is the model's reading.
  return r.pm.some((m) => m !== 0);
}

const listedAfter = (q: SvmRange, r: SvmRange): boolean =>
  q.start > r.start || (q.start === r.start && q.id > r.id);

/** The driver's ranges of a process as the invariants see them, with prange->invalid. */
export function kfdRangeViews(s: State, pid: number): RangeView[] {
  const live: KfdRange[] = [];
  for (const r of kfdStateView(s).ranges) {
    if (r.pid !== pid || !(r.inTree || r.parent >= 0)) continue;
    let j = live.length;
    live.push(r);
    for (; j > 0 && listedAfter(live[j - 1] as KfdRange, r); j--) live[j] = live[j - 1] as KfdRange;
    live[j] = r;
  }
  return live.map((r) => ({
    start: r.start,
    last: r.last,
    attrs: r.a,
    mapped: r.pm,
    pending: r.op,
    ...(r.invalid ? { invalid: r.invalid } : {}),
  }));
}
