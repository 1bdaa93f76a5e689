// XNACK off (and GPU_ALWAYS_MAPPED ranges): an invalidation does not touch the GPU page tables, it
// counts an eviction on the range (prange->invalid) and stops the process's queues
// (kgd2kfd_quiesce_mm); the queues may run again only once restore_work has revalidated every
// invalid range (kfd_svm.c at 006ad514a50c: svm_range_evict, svm_range_restore_work).
import { queuesRun } from '../model/queues.js';
import type { FindingOf, Invariant } from './invariant.js';

export type XnackOffQueuesStoppedFinding = FindingOf<
  'queues-run',
  { pid: number; start: number; last: number; invalid: number }
>;

export const xnackOffQueuesStopped: Invariant = {
  id: 'xnack-off-queues-stopped',
  cls: 'coherence',
  meaning:
    "A process's GPU queues do not run while one of its ranges is invalid (evicted by an invalidation and not yet revalidated by restore_work).",
  reads: ['drv', 'mm'],
  check(s, _events, drv) {
    if (!drv.ranges) return null;
    for (const p of s.procs) {
      if (!queuesRun(s, p.pid)) continue;
      for (const r of drv.ranges(s, p.pid)) {
        if (!r.invalid) continue;
        return {
          code: 'queues-run',
          at: { pid: p.pid, vpn: r.start },
          data: { pid: p.pid, start: r.start, last: r.last, invalid: r.invalid },
        } satisfies XnackOffQueuesStoppedFinding;
      }
    }
    return null;
  },
};
