import { backingPage, vmaAt } from '../model/mem.js';
import { queuesRun } from '../model/queues.js';
import type { State } from '../model/types.js';
import type { Finding, Invariant } from './invariant.js';
import { inUnmapping, pageName, va } from './where.js';

function cpuWritable(s: State, pid: number, vpn: number): boolean {
  const v = vmaAt(s, pid, vpn);
  const pte = s.procs[pid]?.pt[vpn] ?? null;
  return !!v && v.prot === 'rw' && !!pte && pte.w;
}

type Fault = 'prot-none' | 'stale' | 'writable' | 'no-link';

/** The finding for a GPU PTE found wrong (built only then: the check runs for every PTE, every step). */
function report(s: State, g: number, pid: number, vpn: number, fault: Fault): Finding {
  const e = s.gpuPt[g]?.[pid]?.[vpn];
  const page = e ? e.page : -1;
  const where = `gpu${g} PTE for ${va(pid, vpn)}`;
  switch (fault) {
    case 'prot-none':
      return {
        expected: `no ${where}: the VMA is PROT_NONE`,
        actual: `${where} -> ${pageName(s, page)}`,
        message: `${where} survives mprotect(PROT_NONE)`,
      };
    case 'stale': {
      const back = backingPage(s, pid, vpn);
      return {
        expected: `${where} -> ${pageName(s, back)} (what the CPU page table maps)`,
        actual: `${where} -> ${pageName(s, page)}`,
        message: `${where} is stale: the GPU reaches ${pageName(s, page)} while the CPU maps ${pageName(s, back)}`,
      };
    }
    case 'writable':
      return {
        expected: `${where} read-only (the CPU pte is not writable: COW, mprotect or zero page)`,
        actual: `${where} writable -> ${pageName(s, page)}`,
        message: `${where} grants write access the CPU page table does not`,
      };
    case 'no-link': {
      const h = s.phys[page]?.gpu ?? -1;
      return {
        expected: `${where} only to memory gpu${g} can reach`,
        actual: `${where} -> ${pageName(s, page)}, not in gpu${g}'s hive`,
        message: `${where} points into gpu${h}'s VRAM with no P2P/XGMI link`,
      };
    }
  }
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
