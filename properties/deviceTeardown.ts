import { devmemLife } from '../model/devmem.js';
import { devmemInUse } from '../model/kernel/deviceUnbind.js';
import type { Invariant } from './invariant.js';
import { pageName, va } from './where.js';

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
          expected: `every VRAM page of gpu${g} free after its unbind`,
          actual: `${used.map((p) => pageName(s, p)).join(', ')} still allocated`,
          message: `gpu${g} was unbound but ${pageName(s, used[0] ?? -1)} is still in use`,
        };
      for (const p of s.procs) {
        const vpn = p.pt.findIndex((e) => e !== null && s.phys[e.page]?.gpu === g);
        if (vpn >= 0)
          return {
            expected: `no CPU page table entry for a page of unbound gpu${g}`,
            actual: `${va(p.pid, vpn)} -> ${pageName(s, p.pt[vpn]?.page ?? -1)}`,
            message: `${va(p.pid, vpn)} still maps device memory of gpu${g} after its unbind: the page was not migrated back`,
          };
      }
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        const vpn = (byPid[pid] ?? []).findIndex((e) => e !== null);
        if (vpn >= 0)
          return {
            expected: `unbound gpu${g} translates nothing`,
            actual: `gpu${g} PTE for ${va(pid, vpn)}`,
            message: `unbound gpu${g} still has a PTE for ${va(pid, vpn)}`,
          };
      }
    }
    return null;
  },
};
