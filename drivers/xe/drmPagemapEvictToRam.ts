// drm_pagemap_evict_to_ram() (drivers/gpu/drm/drm_pagemap.c at 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001):
// evict a device memory allocation without the mmap lock, by pfn: populate_devmem_pfn gives the
// allocation's device pages, migrate_device_pfns() collects those still in use wherever they are
// mapped, each gets a system page and a copy, migrate_device_pages() and migrate_device_finalize()
// install them. Done when the allocation is detached (its zdd destroyed: no device page refers to it
// any more); otherwise retried twice (cond_resched between), then -EBUSY.
//
// Context: no mmap_lock and no driver lock (TTM eviction, device unbind); the mm must still be
// alive (mmget_not_zero, else -EFAULT). Returns 0, -EFAULT or -EBUSY.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { kernel } from '../../api/kernel.js';
import { migrateVmaFinalize, migrationById } from '../../model/kernel/migrate.js';
import { allocSysPage } from '../../model/mem.js';
import { call, count, goto, reschedTo, yieldTo } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { devmemById, xeOwner, xeView, type XeErr } from './xeState.js';

export interface XeEvictArgs {
  id: number;
}

export interface XeEvictLocals extends XeEvictArgs {
  tries: number;
  mig: number;
  gpu: number;
}

/** The allocation's device pages still allocated (populate_devmem_pfn over the BO's blocks). */
function devmemPages(s: Parameters<typeof allocSysPage>[0], gpu: number, id: number): number[] {
  const base = s.vramBase[gpu] ?? 0;
  const out: number[] = [];
  for (let p = base; p < base + (s.cfg.gpus[gpu]?.vram ?? 0); p++) {
    const pg = s.phys[p];
    if (pg && !pg.free && pg.zdd === id) out.push(p);
  }
  return out;
}

export const drmPagemapEvictToRam: DriverProc<XeEvictArgs, 0 | XeErr, XeEvictLocals> = defineDriverProc<
  XeEvictArgs,
  0 | XeErr,
  XeEvictLocals
>('drm_pagemap_evict_to_ram', {
  start(_env, l) {
    l.tries = 0;
    return goto('retry');
  },
  retry(env, l) {
    const s = env.s;
    const d = devmemById(xeView(s), l.id);
    if (!d || d.detached) return drmPagemapEvictToRam.ret(0);
    if (!s.procs[d.pid]?.alive) return drmPagemapEvictToRam.ret('EFAULT');
    l.gpu = d.gpu;
    const pages = devmemPages(s, d.gpu, l.id);
    // migrate_device_pfns(): the model's migrate_vma_setup by pfn (collect wherever mapped).
    const args = {
      pages,
      pid: -1,
      start: -1,
      n: pages.length,
      owner: xeOwner(s.cfg, d.gpu),
      sel: { sys: false, priv: true, coh: true },
      faultPage: -1,
    };
    return call('migrate_vma_setup', args, 'setup');
  },
  setup(env, l, res) {
    const s = env.s;
    const r = kernel.migrateVmaSetup.result(res);
    l.mig = r.mig;
    const m = migrationById(s, l.mig);
    m.src.forEach((src, i) => {
      if (!src.migrate || src.page < 0) return;
      const dst = allocSysPage(s);
      const d = s.phys[dst];
      if (!d) return;
      mut(PAGES, d).data = s.phys[src.page]?.data ?? 0;
      m.dst[i] = dst;
    });
    return yieldTo('copy');
  },
  copy(_env, l) {
    return invoke(kernel.migrateVmaPages, { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { done } = migrateVmaFinalize(env, l.mig);
    count(env, 'xe: pages evicted to system memory', done);
    // The freed device pages' folio_free runs when this step ends (it put their zdd references).
    return yieldTo('check');
  },
  check(env, l) {
    const d = devmemById(xeView(env.s), l.id);
    if (!d || d.detached) return drmPagemapEvictToRam.ret(0);
    if (l.tries++ < 2) {
      count(env, 'xe: evict_to_ram retry');
      return reschedTo('retry');
    }
    count(env, 'xe: evict_to_ram -EBUSY');
    return drmPagemapEvictToRam.ret('EBUSY');
  },
});
