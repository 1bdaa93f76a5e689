// restore_work restarts the queues only if no invalidation came while it revalidated (the
// atomic_cmpxchg on prange->invalid and svms->evicted_ranges): a restore that raced an eviction
// reschedules itself instead (kfd_svm.c at 006ad514a50c: svm_range_restore_work).
import { backingPage, vmaAt } from '../model/mem.js';
import type { FindingOf, Invariant } from './invariant.js';
import { inUnmapping } from './inUnmapping.js';
import { pageRef, type PageRef } from './pageRef.js';

/** stale: the PTE reaches another page than the CPU's; writable: more permission than the CPU's. */
export type XnackOffRestoreFreshFinding = FindingOf<
  'stale' | 'writable',
  {
    gpu: number;
    pid: number;
    vpn: number;
    back: PageRef;
    page: PageRef;
    writable: boolean;
    tooWritable: boolean;
  }
>;

export const xnackOffRestoreFresh: Invariant = {
  id: 'xnack-off-restore-fresh',
  cls: 'coherence',
  meaning:
    "When a process's queues resume, none of its GPU PTEs is stale: a restore that raced an invalidation retries rather than resuming with the mappings it made before it.",
  transition: true,
  events: ['queues'],
  check(s, events) {
    for (const e of events) {
      if (e.e !== 'queues' || e.what !== 'resume' || e.evicted !== 0) continue;
      const pid = e.pid;
      const pt = s.procs[pid]?.pt ?? [];
      for (let g = 0; g < s.gpuPt.length; g++) {
        const t = s.gpuPt[g]?.[pid] ?? [];
        for (let vpn = 0; vpn < t.length; vpn++) {
          const pte = t[vpn];
          if (!pte || !vmaAt(s, pid, vpn) || inUnmapping(s, pid, vpn)) continue;
          const back = backingPage(s, pid, vpn);
          const cpu = pt[vpn] ?? null;
          const stale = pte.page !== back;
          const tooWritable = pte.w && !(cpu && cpu.w && vmaAt(s, pid, vpn)?.prot === 'rw');
          if (!stale && !tooWritable) continue;
          return {
            code: stale ? 'stale' : 'writable',
            at: { gpu: g, pid, vpn, page: pte.page },
            data: {
              gpu: g,
              pid,
              vpn,
              back: pageRef(s, back),
              page: pageRef(s, pte.page),
              writable: pte.w,
              tooWritable,
            },
          } satisfies XnackOffRestoreFreshFinding;
        }
      }
    }
    return null;
  },
};
