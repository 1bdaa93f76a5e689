import { queuesEvicted } from '../model/queues.js';
import type { Invariant } from './invariant.js';
import { pageName, va } from './where.js';

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
            expected: `CPU pte of ${va(p.pid, vpn)} references a live page`,
            actual: `it references ${pageName(s, e.page)}`,
            message: `use-after-free: the CPU page table of ${va(p.pid, vpn)} references a freed page`,
          };
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
              expected: `gpu${g} PTE of ${va(pid, vpn)} references a live page`,
              actual: `it references ${pageName(s, e.page)}`,
              message: `use-after-free: gpu${g} can still reach ${pageName(s, e.page)} through ${va(pid, vpn)}`,
            };
        }
      }
    }
    return null;
  },
};
