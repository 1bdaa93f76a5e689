// drm_pagemap_populate_mm() (drivers/gpu/drm/drm_pagemap.c at 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001)
// calling xe's populate_mm op, xe_drm_pagemap_populate_mm() (drivers/gpu/drm/xe/xe_svm.c at
// 0131514f97890c4699a4d7ca14b720dafefdbc71): with mmap_lock held for read, inside drm_dev_enter()
// (-ENODEV once the device is being unbound: "block (return an -ENODEV) error for new population
// requests", drm_pagemap.c DOC: Overview), a BO of the range's size is created in the device's VRAM
// — TTM evicts device allocations until the BO fits (ttm_bo_mem_force_space: evict the first,
// allocate again; xe_svm_bo_evict -> drm_pagemap_evict_to_ram), given up once nothing evictable is
// left or as many evictions failed as the device has pages plus two — and
// the range is migrated to it with drm_pagemap_migrate_to_devmem().
//
// Context: the caller holds the driver's svm lock; takes mmap_lock for read and a drm_dev_enter
// section. Returns 0, -EFAULT (the mm is gone), -ENODEV, -ENOMEM or migrate_to_devmem's error.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { drmDevEnter, drmDevExit } from '../../model/devmem.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { count, goto, type Env, type StepResult } from '../../model/proc.js';
import { xeFreeVram } from './xeFreeVram.js';
import { drmPagemapEvictToRam } from './drmPagemapEvictToRam.js';
import { drmPagemapMigrateToDevmem } from './drmPagemapMigrateToDevmem.js';
import { xeView, type XeErr } from './xeState.js';

export interface XePopulateArgs {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  sameOk: boolean;
  selPriv: boolean;
  /** timeslice_ms (drm_pagemap_populate_mm's last argument), passed on to migrate_to_devmem. */
  slice: number;
  /** The faulting GPU that asked for it (-1 for none). */
  sliceGpu: number;
  /** The struct drm_pagemap populated (of `gpu`), kept alive by the caller's holder (a VM or a preferred location). */
  dpagemap: number;
}

/**
 * The population request alone, out of a caller's locals: what xe_svm_alloc_vram() passes to
 * drm_pagemap_populate_mm() and what that passes on to drm_pagemap_migrate_to_devmem().
 */
export function populateArgs(l: XePopulateArgs): XePopulateArgs {
  const { gpu, pid, start, n, sameOk, selPriv, slice, sliceGpu, dpagemap } = l;
  return { gpu, pid, start, n, sameOk, selPriv, slice, sliceGpu, dpagemap };
}

export interface XePopulateLocals extends XePopulateArgs {
  tries: number;
  /** Inside drm_dev_enter() (its srcu index taken): drm_dev_exit() at the end. */
  entered: boolean;
}

export const xePopulateMm: DriverProc<XePopulateArgs, 0 | XeErr, XePopulateLocals> = defineDriverProc<
  XePopulateArgs,
  0 | XeErr,
  XePopulateLocals
>('xe_populate_mm', {
  start(env, l) {
    if (!env.s.procs[l.pid]?.alive) return xePopulateMm.ret('EFAULT');
    const b = lockOrBlock(env, mmapLock(l.pid), 'r');
    if (b) return b;
    if (!drmDevEnter(env.s, l.gpu)) {
      unlock(env, mmapLock(l.pid));
      return xePopulateMm.ret('ENODEV');
    }
    l.entered = true;
    l.tries = 0;
    return goto('bo');
  },
  bo(env, l) {
    const s = env.s;
    if (xeFreeVram(s, l.gpu) >= l.n) {
      return invoke(drmPagemapMigrateToDevmem, populateArgs(l), 'done');
    }
    // xe_bo_create_locked() -> TTM eviction of the oldest allocation on the device.
    const victim = xeView(s).devmem.find((d) => d.gpu === l.gpu && !d.detached);
    if (!victim || l.tries++ >= (s.cfg.gpus[l.gpu]?.vram ?? 0) + 2) return goto('nomem');
    count(env, 'xe: VRAM short, device allocation evicted');
    return invoke(drmPagemapEvictToRam, { id: victim.id }, 'bo');
  },
  nomem(env, l) {
    return finish(env, l, 'ENOMEM');
  },
  done(env, l, r) {
    return finish(env, l, drmPagemapMigrateToDevmem.result(r));
  },
});

function finish(env: Env, l: XePopulateLocals, err: 0 | XeErr): StepResult {
  if (l.entered) drmDevExit(env.s, l.gpu);
  unlock(env, mmapLock(l.pid));
  return xePopulateMm.ret(err);
}
