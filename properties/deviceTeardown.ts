import { devmemLife } from '../model/devmem.js';
import { devmemInUse } from '../model/kernel/deviceUnbind.js';
import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

/** After gpu's unbind: pages still allocated, a CPU pte to its memory, a GPU PTE left. */
export type DeviceTeardownFinding =
  | FindingOf<'pages-allocated', { gpu: number; used: PageRef[] }>
  | FindingOf<'cpu-pte', { gpu: number; pid: number; vpn: number; page: PageRef }>
  | FindingOf<'gpu-pte', { gpu: number; pid: number; vpn: number }>;

export const deviceTeardown: Invariant = {
  id: 'device-teardown',
  cls: 'teardown',
  meaning:
    "Once a GPU's device memory is torn down (driver unbind returned), none of its pages is allocated or mapped and its page tables translate nothing: pages in use were migrated back and later requests refused.",
  // The unplugged state is in the srcu/teardown counters (model/devmem.ts); pages, CPU and GPU page tables.
  reads: ['pages', 'mm', 'gpu'],
  readsUnmarked: ['counters'],
  check(s) {
    for (let g = 0; g < s.cfg.gpus.length; g++) {
      if (devmemLife(s, g) !== 'gone') continue;
      const used = devmemInUse(s, g);
      if (used.length)
        return {
          code: 'pages-allocated',
          at: { gpu: g },
          data: { gpu: g, used: used.map((p) => pageRef(s, p)) },
        } satisfies DeviceTeardownFinding;
      for (const p of s.procs) {
        const vpn = p.pt.findIndex((e) => e !== null && s.phys[e.page]?.gpu === g);
        if (vpn >= 0)
          return {
            code: 'cpu-pte',
            at: { gpu: g, pid: p.pid, vpn },
            data: { gpu: g, pid: p.pid, vpn, page: pageRef(s, p.pt[vpn]?.page ?? -1) },
          } satisfies DeviceTeardownFinding;
      }
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        const vpn = (byPid[pid] ?? []).findIndex((e) => e !== null);
        if (vpn >= 0)
          return {
            code: 'gpu-pte',
            at: { gpu: g, pid, vpn },
            data: { gpu: g, pid, vpn },
          } satisfies DeviceTeardownFinding;
      }
    }
    return null;
  },
};
