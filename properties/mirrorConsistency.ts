import { backingPage, vmaAt } from '../model/mem.js';
import { queuesRun } from '../model/queues.js';
import type { State } from '../model/types.js';
import type { FindingOf, Invariant } from './invariant.js';
import { inUnmapping } from './inUnmapping.js';
import { pageRef, type PageRef } from './pageRef.js';

function cpuWritable(s: State, pid: number, vpn: number): boolean {
  const v = vmaAt(s, pid, vpn);
  const pte = s.procs[pid]?.pt[vpn] ?? null;
  return !!v && v.prot === 'rw' && !!pte && pte.w;
}

/** Where the GPU PTE is and the page it reaches. */
interface PteAt {
  gpu: number;
  pid: number;
  vpn: number;
  page: PageRef;
}

/**
 * prot-none: a PTE on a PROT_NONE VMA; stale: the PTE reaches another page than the CPU's (`back`);
 * writable: more permission than the CPU pte; no-link: VRAM of a GPU outside its hive.
 */
export type MirrorConsistencyFinding =
  FindingOf<'prot-none' | 'writable' | 'no-link', PteAt> | FindingOf<'stale', PteAt & { back: PageRef }>;

type Fault = MirrorConsistencyFinding['code'];

/** The finding for a GPU PTE found wrong (built only then: the check runs for every PTE, every step). */
function report(s: State, g: number, pid: number, vpn: number, fault: Fault): MirrorConsistencyFinding {
  const e = s.gpuPt[g]?.[pid]?.[vpn];
  const page = e ? e.page : -1;
  const data = { gpu: g, pid, vpn, page: pageRef(s, page) };
  const at = { gpu: g, pid, vpn, page };
  if (fault === 'stale')
    return { code: fault, at, data: { ...data, back: pageRef(s, backingPage(s, pid, vpn)) } };
  return { code: fault, at, data };
}

export const mirrorConsistency: Invariant = {
  id: 'mirror-consistency',
  cls: 'coherence',
  meaning:
    'A valid GPU PTE reaches the very page that backs the address in the CPU page table, with no more permission than the CPU has, through a link the GPU really has.',
  reads: ['pages', 'mm', 'gpu'],
  check(s) {
    for (let g = 0; g < s.gpuPt.length; g++) {
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        const t = byPid[pid] ?? [];
        // Dead, or its queues evicted (kgd2kfd_quiesce_mm): no GPU runs its work, so its PTEs are
        // unreachable until the queues resume, when this check sees them again (model/queues.ts).
        if (!queuesRun(s, pid)) continue;
        for (let vpn = 0; vpn < t.length; vpn++) {
          const e = t[vpn];
          if (!e) continue;
          const v = vmaAt(s, pid, vpn);
          if (!v) continue; // no-gpu-pte-after-munmap's business
          if (inUnmapping(s, pid, vpn)) continue;
          if (v.prot === 'none') return report(s, g, pid, vpn, 'prot-none');
          if (e.page !== backingPage(s, pid, vpn)) return report(s, g, pid, vpn, 'stale');
          if (e.w && !cpuWritable(s, pid, vpn)) return report(s, g, pid, vpn, 'writable');
          const h = s.phys[e.page]?.gpu ?? -1;
          if (h >= 0 && h !== g && s.cfg.gpus[h]?.hive !== s.cfg.gpus[g]?.hive)
            return report(s, g, pid, vpn, 'no-link');
        }
      }
    }
    return null;
  },
};
