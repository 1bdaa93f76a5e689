// drm_pagemap_migrate_to_devmem() (drivers/gpu/drm/drm_pagemap.c at
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001): migrate [start, start + n) of one anonymous VMA to a new
// device memory allocation of `gpu`, all or nothing. A zdd is allocated (owning the allocation);
// migrate_vma_setup() collects the pages with pgmap_owner = the pagemap's owner and the flags
// MIGRATE_VMA_SELECT_SYSTEM | MIGRATE_VMA_SELECT_DEVICE_COHERENT (the commit read leaves
// SELECT_DEVICE_PRIVATE out, FIXME: device-private pages then bounce through system memory; a
// driver built with `selectDevicePrivate` adds it). No page collected, or fewer than all, is
// -EBUSY; every page already ours is success without migrating (the own-pages shortcut); some of
// ours without can_migrate_same_pagemap is -EBUSY ("fragmentation"). populate_devmem_pfn gives the
// destination pages (-ENOMEM when the device has too little free), each initialised with a zdd
// reference (drm_pagemap_get_devmem_page); a device-private source of a peer in our group is copied
// by the peer (source_peer_migrates), a system page by us. After migrate_vma_pages(), fewer pages
// migrated than asked is -EBUSY ("Raced while finalizing"), though the migrated ones stay.
// migrate_vma_finalize(); the zdd's own reference is put. Once the pages are copied the allocation's
// timeslice_expiration is set from mdetails->timeslice_ms ("the time requested for the migrated
// pagemap pages to be present in @mm before being allowed to be migrated back"): the allocation
// keeps `slice` until drmPagemapTimesliceExpire, started here, ends it. The copy waits for the
// allocation's pre_migrate_fence, the clear of the new BO (xeBoClear.ts).
//
// Context: the caller holds mmap_lock (mmap_assert_locked) and a reference on the allocation.
// Returns 0, -ENOENT, -EINVAL, -EBUSY or -ENOMEM.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { kernel } from '../../api/kernel.js';
import { migrateVmaFinalize, migrationById } from '../../model/kernel/migrate.js';
import { allocDevPage, vmaAt } from '../../model/mem.js';
import { block, count, emit, goto, yieldTo } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { drmPagemapGet } from './drmPagemap.js';
import { drmPagemapZddGet, drmPagemapZddPut } from './drmPagemapZdd.js';
import { xeStartTimeslice } from './drmPagemapTimesliceExpire.js';
import { xeClearKey, xeStartBoClear } from './xeBoClear.js';
import { xeFreeVram } from './xeFreeVram.js';
import { devmemById, xeOwner, xeState, type XeDevmem, type XeErr } from './xeState.js';

export interface XeMigrateToDevmemArgs {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  /** mdetails->can_migrate_same_pagemap. */
  sameOk: boolean;
  /** MIGRATE_VMA_SELECT_DEVICE_PRIVATE in migrate.flags (left out by the commit read). */
  selPriv: boolean;
  /** mdetails->timeslice_ms: 0, or xe's atomic_svm_timeslice_ms (doubled on each retry) for devmem_only. */
  slice: number;
  /** The faulting GPU that asked for the timeslice (-1 for none). */
  sliceGpu: number;
  /** devmem_allocation->dpagemap: the drm_pagemap the allocation is from (of `gpu`). */
  dpagemap: number;
}

/** The zdd drm_pagemap_zdd_alloc() makes for the call (kref 1) and the allocation it owns. */
export function newZdd(l: XeMigrateToDevmemLocals): XeDevmem {
  const { zdd: id, gpu, pid, start, n, dpagemap } = l;
  return { id, gpu, pid, start, n, zddRef: 1, detached: false, dpagemap };
}

export interface XeMigrateToDevmemLocals extends XeMigrateToDevmemArgs {
  zdd: number;
  mig: number;
  own: number;
  err: 0 | XeErr;
}

export const drmPagemapMigrateToDevmem: DriverProc<
  XeMigrateToDevmemArgs,
  0 | XeErr,
  XeMigrateToDevmemLocals
> = defineDriverProc<XeMigrateToDevmemArgs, 0 | XeErr, XeMigrateToDevmemLocals>(
  'drm_pagemap_migrate_to_devmem',
  {
    start(env, l) {
      const s = env.s;
      const v = vmaAt(s, l.pid, l.start);
      if (!v) return drmPagemapMigrateToDevmem.ret('ENOENT');
      if (l.start + l.n > v.end) return drmPagemapMigrateToDevmem.ret('EINVAL');
      if (v.shm >= 0) return drmPagemapMigrateToDevmem.ret('EBUSY');
      return goto('zdd_alloc');
    },
    zdd_alloc(env, l) {
      // drm_pagemap_zdd_alloc(): kref_init, zdd->dpagemap = drm_pagemap_get(dpagemap) ("@dpagemap:
      // Refcounted pointer to the underlying struct drm_pagemap"); zdd->devmem_allocation = the
      // allocation (owns it).
      const s = env.s;
      const st = xeState(s);
      l.zdd = st.next++;
      drmPagemapGet(env, l.dpagemap);
      st.devmem.push(newZdd(l));
      return goto('setup_vma');
    },
    setup_vma(env, l) {
      const s = env.s;
      const sel = { sys: true, priv: l.selPriv, coh: true };
      const args = { pid: l.pid, start: l.start, n: l.n, owner: xeOwner(s.cfg, l.gpu), sel, faultPage: -1 };
      return invoke(kernel.migrateVmaSetup, args, 'setup');
    },
    setup(env, l, res) {
      const s = env.s;
      const r = kernel.migrateVmaSetup.result(res);
      if (r.err !== '0') {
        drmPagemapZddPut(env, l.zdd);
        return drmPagemapMigrateToDevmem.ret(r.err as XeErr);
      }
      l.mig = r.mig;
      l.own = 0;
      l.err = 0;
      if (r.cpages !== l.n) {
        // None collected (raced or unknown device pages) or some: all or nothing.
        l.err = 'EBUSY';
        count(env, 'xe: migrate_to_devmem -EBUSY (not every page collected)');
        return goto('aborted');
      }
      const m = migrationById(s, l.mig);
      for (const src of m.src) if (!src.hole && s.phys[src.page]?.gpu === l.gpu) l.own++;
      if (l.own === l.n) {
        count(env, 'xe: migration was not necessary (own pages)');
        return goto('aborted');
      }
      if (l.own > 0 && !l.sameOk) {
        l.err = 'EBUSY';
        return goto('aborted');
      }
      // populate_devmem_pfn: the allocation's VRAM.
      if (xeFreeVram(s, l.gpu) < l.n - (l.sameOk ? 0 : l.own)) {
        l.err = 'ENOMEM';
        return goto('aborted');
      }
      return goto('populate');
    },
    populate(env, l) {
      // populate_devmem_pfn: the BO's VRAM, whose clear TTM has queued (xeBoClear); the pages whose
      // source is already ours stay out without can_migrate_same_pagemap.
      const s = env.s;
      const m = migrationById(s, l.mig);
      l.own = 0;
      const fresh: number[] = [];
      m.src.forEach((src, i) => {
        const from = src.hole ? -1 : (s.phys[src.page]?.gpu ?? -1);
        if (from === l.gpu && !l.sameOk) {
          l.own++;
          return;
        }
        const dst = allocDevPage(s, l.gpu);
        if (!s.phys[dst]) return;
        fresh.push(dst);
        m.dst[i] = dst;
      });
      // xe_drm_pagemap_populate_mm(): the BO's unsignalled kernel fence is the pre_migrate_fence.
      xeStartBoClear(env, l.gpu, l.zdd, fresh);
      return goto('get_devmem_pages');
    },
    get_devmem_pages(env, l) {
      // drm_pagemap_get_devmem_page() for every new device page: zone_device_data = zdd, and the
      // reference that folio_free puts (the zdd refcount contract).
      const s = env.s;
      for (const dst of migrationById(s, l.mig).dst) {
        const d = dst >= 0 ? s.phys[dst] : undefined;
        if (!d) continue;
        mut(PAGES, d).zdd = l.zdd;
        drmPagemapZddGet(env, l.zdd);
      }
      return goto('copy');
    },
    copy(env, l) {
      // drm_pagemap_migrate_range() -> ops->copy_to_devmem(..., devmem_allocation->pre_migrate_fence):
      // xe_svm_copy() pipelines its copy behind the fence (or waits for it when it copies nothing),
      // so the BO's clear lands before the data, never on top of it.
      const s = env.s;
      const key = xeClearKey(l.zdd);
      if (s.counters[key]) return block({ k: 'counter', key, until: 0 });
      const m = migrationById(s, l.mig);
      m.src.forEach((src, i) => {
        const d = s.phys[m.dst[i] ?? -1];
        if (!d) return;
        const from = src.hole ? -1 : (s.phys[src.page]?.gpu ?? -1);
        mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
        if (from >= 0) count(env, 'xe: pages copied from a peer over the interconnect');
      });
      // On success: dma_fence_put(pre_migrate_fence); pre_migrate_fence = NULL.
      return yieldTo('pages');
    },
    pages(_env, l) {
      return invoke(kernel.migrateVmaPages, { mig: l.mig }, 'fin');
    },
    fin(env, l) {
      const s = env.s;
      const m = migrationById(s, l.mig);
      const st = xeState(s);
      let migrated = 0;
      const last = (st.lastDev[l.pid] ??= []);
      m.src.forEach((src, i) => {
        if (!src.migrate) return;
        migrated++;
        const vpn = l.start + i;
        const was = last[vpn] ?? -1;
        // Seed 002's ping-pong: a page back in device memory after something pulled it out.
        if (was >= 0) count(env, `xe: ping-pong (page migrated to devmem again, gpu${was} -> gpu${l.gpu})`);
        last[vpn] = l.gpu;
      });
      const { cpages, done } = migrateVmaFinalize(env, l.mig);
      emit(env, { e: 'migrate', pid: l.pid, start: l.start, n: l.n, cpages, done, to: 'dev' });
      count(env, `xe: pages migrated to gpu${l.gpu}`, migrated);
      // Upon success: devmem_allocation->timeslice_expiration = jiffies + timeslice_ms.
      const d = devmemById(st, l.zdd);
      if (d && l.slice > 0) {
        d.slice = l.slice;
        d.sliceGpu = l.sliceGpu;
        xeStartTimeslice(env, d.id);
      }
      if (migrated < l.n - l.own) {
        count(env, 'xe: migrate_to_devmem raced while finalizing');
        l.err = 'EBUSY';
      }
      drmPagemapZddPut(env, l.zdd);
      return drmPagemapMigrateToDevmem.ret(l.err);
    },
    aborted(_env, l) {
      // err_aborted_migration: migrate_vma_pages() with no destinations, migrate_vma_finalize().
      return invoke(kernel.migrateVmaPages, { mig: l.mig }, 'abortFin');
    },
    abortFin(env, l) {
      migrateVmaFinalize(env, l.mig);
      drmPagemapZddPut(env, l.zdd);
      return drmPagemapMigrateToDevmem.ret(l.err);
    },
  },
);
