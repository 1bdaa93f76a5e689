import { vmaAt } from '../model/mem.js';
import type { FindingOf, Invariant } from './invariant.js';
import { inUnmapping } from './inUnmapping.js';
import { pageRef, type PageRef } from './pageRef.js';

/** unmapped: no VMA maps the address any more; exited: its process has exited. */
export type NoGpuPteAfterMunmapFinding = FindingOf<
  'unmapped' | 'exited',
  { gpu: number; pid: number; vpn: number; page: PageRef; writable: boolean }
>;

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
            code: p?.alive ? 'unmapped' : 'exited',
            at: { gpu: g, pid, vpn, page: e.page },
            data: { gpu: g, pid, vpn, page: pageRef(s, e.page), writable: e.w },
          } satisfies NoGpuPteAfterMunmapFinding;
        }
      }
    }
    return null;
  },
};
