// drm_pagemap_migrate_to_ram() -> __drm_pagemap_migrate_to_ram() (dev_pagemap_ops.migrate_to_ram,
// drivers/gpu/drm/drm_pagemap.c at 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001): a CPU fault (or
// hmm_range_fault on behalf of another device) on a device-private page migrates the whole device
// allocation the page belongs to (zdd->devmem_allocation->size, aligned around the fault address and
// clipped to the VMA) back to system memory. migrate_vma_setup() selects device-private and
// device-coherent pages of the page's pgmap owner with the fault page; only the pages of the same
// zdd get a system page (drm_pagemap_migrate_populate_ram_pfn), the others are left. Nothing
// collected (another fault raced) is success. While the allocation's timeslice runs
// (time_before64(jiffies, timeslice_expiration)) the fault returns 0 without migrating: the CPU
// (or hmm_range_fault for another device) faults again until the timeslice is over.
//
// Context: do_swap_page() with the page locked and referenced, mmap_lock held for read. Returns 0,
// or 'SIGBUS' (VM_FAULT_SIGBUS) when setup or a system page allocation fails.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { kernel } from '../../api/kernel.js';
import { KernelOops } from '../../model/kernelOops.js';
import { migrateVmaFinalize, migrationById } from '../../model/kernel/migrate.js';
import { allocSysPage, putPage, vmaAt } from '../../model/mem.js';
import { count, goto, yieldTo } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { devmemById, xeView } from './xeState.js';

export interface XeMigrateToRamArgs {
  page: number;
  pid: number;
  vpn: number;
}

export interface XeMigrateToRamLocals extends XeMigrateToRamArgs {
  mig: number;
  start: number;
  failed: boolean;
}

export const drmPagemapMigrateToRam: DriverProc<XeMigrateToRamArgs, 0 | 'SIGBUS', XeMigrateToRamLocals> =
  defineDriverProc<XeMigrateToRamArgs, 0 | 'SIGBUS', XeMigrateToRamLocals>('migrate_to_ram', {
    start(env, l) {
      const s = env.s;
      const pg = s.phys[l.page];
      const d = devmemById(xeView(s), pg?.zdd ?? -1);
      if (!pg || !d)
        throw new KernelOops('oops', { code: 'zdd-missing', at: { page: l.page }, data: { page: l.page } });
      if (d.slice) {
        count(env, 'xe: CPU fault within the migration timeslice (not migrated, retried)');
        return drmPagemapMigrateToRam.ret(0);
      }
      const v = vmaAt(s, l.pid, l.vpn);
      if (!v) return drmPagemapMigrateToRam.ret('SIGBUS');
      const start = Math.max(v.start, Math.floor(l.vpn / d.n) * d.n);
      const end = Math.min(v.end, Math.floor(l.vpn / d.n) * d.n + d.n);
      l.start = start;
      l.failed = false;
      const sel = { sys: false, priv: true, coh: true };
      const args = { pid: l.pid, start, n: end - start, owner: pg.owner, sel, faultPage: l.page };
      return invoke(kernel.migrateVmaSetup, args, 'setup');
    },
    setup(env, l, res) {
      const s = env.s;
      const r = kernel.migrateVmaSetup.result(res);
      if (r.err !== '0') return drmPagemapMigrateToRam.ret('SIGBUS');
      l.mig = r.mig;
      if (r.cpages === 0) return goto('fin');
      const m = migrationById(s, l.mig);
      const zdd = s.phys[l.page]?.zdd ?? -1;
      m.src.forEach((src, i) => {
        if (l.failed || !src.migrate || src.hole || s.phys[src.page]?.zdd !== zdd) return;
        const dst = allocSysPage(s);
        const d = s.phys[dst];
        if (!d) {
          l.failed = true;
          return;
        }
        mut(PAGES, d).data = s.phys[src.page]?.data ?? 0;
        m.dst[i] = dst;
      });
      if (l.failed) {
        // -ENOMEM: drm_pagemap_migration_unlock_put_pages() gives the system pages back.
        m.dst.forEach((dst, i) => {
          if (dst >= 0) putPage(s, dst);
          m.dst[i] = -1;
        });
      }
      return yieldTo('copy');
    },
    copy(_env, l) {
      return invoke(kernel.migrateVmaPages, { mig: l.mig }, 'fin');
    },
    fin(env, l) {
      const { done } = migrateVmaFinalize(env, l.mig);
      count(env, 'xe: pages migrated to system memory (migrate_to_ram)', done);
      return drmPagemapMigrateToRam.ret(l.failed ? 'SIGBUS' : 0);
    },
  });
