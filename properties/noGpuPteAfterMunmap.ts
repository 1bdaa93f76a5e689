import { vmaAt } from '../model/mem.js';
import type { Invariant } from './invariant.js';
import { inUnmapping, pageName, va } from './where.js';

export const noGpuPteAfterMunmap: Invariant = {
  id: 'no-gpu-pte-after-munmap',
  cls: 'coherence',
  meaning:
    'Once munmap has run the MMU notifiers for a range, no GPU page table translates any address in it.',
  reads: ['gpu', 'mm', 'pages'],
  check(s) {
    for (let g = 0; g < s.gpuPt.length; g++) {
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        const t = byPid[pid] ?? [];
        const p = s.procs[pid];
        for (let vpn = 0; vpn < t.length; vpn++) {
          const e = t[vpn];
          if (!e) continue;
          if (p && p.alive && (vmaAt(s, pid, vpn) || inUnmapping(s, pid, vpn))) continue;
          return {
            expected: `no gpu${g} PTE for ${va(pid, vpn)} (${p?.alive ? 'not mapped by any VMA' : 'process exited'})`,
            actual: `gpu${g} PTE -> ${pageName(s, e.page)}${e.w ? ' writable' : ''}`,
            message: `gpu${g} still translates ${va(pid, vpn)} after the MMU_NOTIFY_UNMAP invalidation returned`,
          };
        }
      }
    }
    return null;
  },
};
