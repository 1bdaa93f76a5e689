// xe_svm_alloc_vram() as Linux 7.0 ships it (drivers/gpu/drm/xe/xe_svm.c of the drm_pagemap
// multi-device series, read in its posting "drm/xe/svm: Serialize migration to device if racing",
// dri-devel 2025-12-18, reviewed by Matthew Brost; the library's xe_svm.c, 0131514f9789, predates
// it): drm_pagemap_populate_mm() under the global driver_migrate_lock held for read; a -EBUSY
// (another migration raced, or the pages sit in another pagemap that migrate_to_devmem does not
// select) retakes the lock for write, evicts the range to system memory (drm_gpusvm_range_evict)
// and tries once more. The drm_gpusvm_scan_mm() "Already migrated" shortcut is not modelled (the
// own-pages shortcut of migrate_to_devmem gives the same result).
//
// Context: the caller holds vm->lock for write; takes driver_migrate_lock (read, then write).
// Returns 0 or drm_pagemap_populate_mm()'s error.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { count, goto } from '../../model/proc.js';
import { drmGpusvmRangeEvict } from './drmGpusvmRangeEvict.js';
import { populateArgs, xePopulateMm, type XePopulateArgs } from './xePopulateMm.js';
import type { XeErr } from './xeState.js';

/** static DECLARE_RWSEM(driver_migrate_lock) in xe_svm_alloc_vram(): one for all devices. */
export const XE_DRIVER_MIGRATE_LOCK = 'xe_driver_migrate_lock';

export interface XeAllocVramArgs extends XePopulateArgs {
  /** The range (drm_gpusvm_range_evict's argument). */
  rid: number;
}

export interface XeAllocVramLocals extends XeAllocVramArgs {
  retries: number;
  writeLocked: boolean;
  err: 0 | XeErr;
}

export const xeSvmAllocVram: DriverProc<XeAllocVramArgs, 0 | XeErr, XeAllocVramLocals> = defineDriverProc<
  XeAllocVramArgs,
  0 | XeErr,
  XeAllocVramLocals
>('xe_svm_alloc_vram', {
  start(env, l) {
    const b = lockOrBlock(env, XE_DRIVER_MIGRATE_LOCK, 'r');
    if (b) return b;
    l.retries = 1;
    l.writeLocked = false;
    return goto('populate');
  },
  populate(_env, l) {
    return invoke(xePopulateMm, populateArgs(l), 'populated');
  },
  populated(env, l, r) {
    l.err = xePopulateMm.result(r);
    if (l.err === 'EBUSY' && l.retries-- > 0) {
      count(env, 'xe: migration to device raced (-EBUSY): range evicted, migration retried');
      if (l.writeLocked) return invoke(drmGpusvmRangeEvict, { rid: l.rid, pid: l.pid }, 'populate');
      unlock(env, XE_DRIVER_MIGRATE_LOCK);
      return goto('wlock');
    }
    unlock(env, XE_DRIVER_MIGRATE_LOCK);
    return xeSvmAllocVram.ret(l.err);
  },
  wlock(env, l) {
    const b = lockOrBlock(env, XE_DRIVER_MIGRATE_LOCK, 'w');
    if (b) return b;
    l.writeLocked = true;
    return invoke(drmGpusvmRangeEvict, { rid: l.rid, pid: l.pid }, 'populate');
  },
});
