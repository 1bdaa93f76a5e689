import { queuesEvicted } from '../model/queues.js';
import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

/** cpu: a CPU pte to a freed page; gpu: a GPU PTE (of a running process) to one. */
export type NoPteToFreedPageFinding =
  | FindingOf<'cpu', { pid: number; vpn: number; page: PageRef }>
  | FindingOf<'gpu', { gpu: number; pid: number; vpn: number; page: PageRef }>;

export const noPteToFreedPage: Invariant = {
  id: 'no-pte-to-freed-page',
  cls: 'memory-safety',
  meaning: 'No CPU or GPU page-table entry references a page that has been freed.',
  reads: ['mm', 'gpu', 'pages'],
  check(s) {
    for (const p of s.procs) {
      if (!p.alive) continue;
      for (let vpn = 0; vpn < p.pt.length; vpn++) {
        const e = p.pt[vpn];
        if (e && s.phys[e.page]?.free)
          return {
            code: 'cpu',
            at: { pid: p.pid, vpn, page: e.page },
            data: { pid: p.pid, vpn, page: pageRef(s, e.page) },
          } satisfies NoPteToFreedPageFinding;
      }
    }
    for (let g = 0; g < s.gpuPt.length; g++) {
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        // Evicted queues (kgd2kfd_quiesce_mm) reach nothing; their PTEs are checked again when the
        // queues resume (model/queues.ts), by this and by mirror-consistency.
        if (queuesEvicted(s, pid)) continue;
        const t = byPid[pid] ?? [];
        for (let vpn = 0; vpn < t.length; vpn++) {
          const e = t[vpn];
          if (e && s.phys[e.page]?.free)
            return {
              code: 'gpu',
              at: { gpu: g, pid, vpn, page: e.page },
              data: { gpu: g, pid, vpn, page: pageRef(s, e.page) },
            } satisfies NoPteToFreedPageFinding;
        }
      }
    }
    return null;
  },
};
