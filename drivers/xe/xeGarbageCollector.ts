// xe_svm_garbage_collector() (drivers/gpu/drm/xe/xe_svm.c at 0131514f97890c4699a4d7ca14b720dafefdbc71)
// in the shape of drm_gpusvm.c's DOC: Examples, "2) Garbage Collector" (at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4): for every range an MMU_NOTIFY_UNMAP queued, a partially
// unmapped one first has its remaining device pages migrated back (drm_gpusvm_range_evict, as DOC:
// Partial Unmapping of Ranges asks), then its GPU binding is destroyed (xe_vm_range_unbind) and the
// range removed (drm_gpusvm_range_remove); xe_svm_range_set_default_attr() puts the madvise
// attributes of the unmapped span back to their defaults.
//
// Context: the driver's svm lock (vm->lock) held for write (lockdep_assert_held_write); takes the
// notifier lock to remove. Returns 0.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { count, goto } from '../../model/proc.js';
import { drmGpusvmRangeEvict } from './drmGpusvmRangeEvict.js';
import { drmPagemapPut } from './drmPagemap.js';
import { drmGpusvmRangeRemove } from './drmGpusvmRangeRemove.js';
import { notifierLock, rangeById, xeState, xeView } from './xeState.js';

export interface XeGcArgs {
  gpu: number;
  pid: number;
}

export interface XeGcLocals extends XeGcArgs {
  rid: number;
  evicted: boolean;
}

export const xeGarbageCollector: DriverProc<XeGcArgs, 0, XeGcLocals> = defineDriverProc<
  XeGcArgs,
  0,
  XeGcLocals
>('xe_svm_garbage_collector', {
  start(_env, l) {
    l.rid = -1;
    l.evicted = false;
    return goto('next');
  },
  next(env, l) {
    const st = xeView(env.s);
    const id = st.gc.find((x) => {
      const r = rangeById(st, x);
      return !!r && r.gpu === l.gpu && r.pid === l.pid;
    });
    if (id === undefined) return xeGarbageCollector.ret(0);
    const r = rangeById(st, id);
    l.rid = id;
    if (r?.pages.partialUnmap && !l.evicted) {
      l.evicted = true;
      return invoke(drmGpusvmRangeEvict, { rid: id, pid: l.pid }, 'remove');
    }
    return goto('remove');
  },
  remove(env, l) {
    const lock = notifierLock(l.gpu, l.pid);
    const b = lockOrBlock(env, lock, 'r');
    if (b) return b;
    const st = xeState(env.s);
    const r = rangeById(st, l.rid);
    if (r) {
      gpuZap(env, r.gpu, r.pid, r.start, r.last + 1);
      r.bound = false;
      drmGpusvmRangeRemove(env.s, r);
      // xe_svm_range_set_default_attr(): the attribute, and the drm_pagemap reference a preferred
      // device held, go.
      const pref = st.pref[r.pid];
      if (pref) for (let v = r.start; v <= r.last; v++) pref[v] = -1;
      const held = st.prefDp[r.pid];
      if (held)
        for (let v = r.start; v <= r.last; v++) {
          const id = held[v] ?? -1;
          held[v] = -1;
          if (id >= 0) drmPagemapPut(env, id);
        }
      count(env, 'xe: garbage collected range');
    }
    unlock(env, lock);
    l.evicted = false;
    return goto('next');
  },
});
