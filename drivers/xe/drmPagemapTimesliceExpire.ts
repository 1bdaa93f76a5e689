// The end of a device allocation's migration timeslice (drivers/gpu/drm/drm_pagemap.c at
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001: drm_pagemap_migrate_to_devmem() sets
// devmem_allocation->timeslice_expiration = jiffies + msecs_to_jiffies(timeslice_ms), and
// __drm_pagemap_migrate_to_ram() leaves the pages in device memory while
// time_before64(get_jiffies_64(), timeslice_expiration)). The kernel has no timer here, only a
// jiffies comparison; the model has no clock, so the passing of the timeslice is a step of its own.
//
// Timing assumption: the timeslice outlasts the migrating fault's path from the migration to the
// bind. While that GPU fault goes on from a successful migration to get_pages and the bind (the
// allocation's `pinned`, set and cleared by xeHandlePagefault), the timeslice is taken not to be
// over: "long enough for a GPU to perform a task and to prevent a migration livelock", the
// kernel-doc of drm_pagemap_migrate_to_devmem. Outside that window (the fault returned, or went
// back to retry), or while the fault sleeps on a lock (another task may be spinning on the
// timeslice with that lock held, as drm_gpusvm_range_evict does with mmap_lock), time may run out
// at any step, as it may in the kernel.
//
// Context: none (time passing). Returns 0.
import { spawn } from '../../model/engine.js';
import { count, defineProc, reschedTo, ret, type Env } from '../../model/proc.js';
import { devmemById, vmLock, xeState } from './xeState.js';

/** The fault of (gpu, pid), which holds its vm->lock, is not asleep waiting for something. */
function faultRuns(env: Env, gpu: number, pid: number): boolean {
  const holder = env.s.locks[vmLock(gpu, pid)]?.w ?? -1;
  return env.s.acts.some((a) => a.id === holder && a.wait === null);
}

export const drmPagemapTimesliceExpire = defineProc<{ id: number }>('xe_timeslice_expire', {
  start(env, l) {
    const d = devmemById(xeState(env.s), l.id);
    if (!d?.slice) return ret(0);
    if (d.pinned && faultRuns(env, d.sliceGpu ?? -1, d.pid)) return reschedTo('start');
    delete d.slice;
    delete d.sliceGpu;
    count(env, 'xe: migration timeslice expired');
    return ret(0);
  },
});

/**
 * The migrating fault of (gpu, pid) enters (`on`) or leaves the window from migration to bind of
 * the range [start, start + n): its allocations there with a running timeslice are (un)pinned.
 */
export function xeSliceWindow(env: Env, gpu: number, pid: number, on: boolean, start = -1, n = 0): void {
  for (const d of xeState(env.s).devmem) {
    if (d.sliceGpu !== gpu || d.pid !== pid) continue;
    if (!on) delete d.pinned;
    else if (d.slice && d.start === start && d.n === n) d.pinned = true;
  }
}

/** Starts the clock of a device allocation just migrated with a timeslice. */
export function xeStartTimeslice(env: Env, id: number): void {
  spawn(env.s, 'timer', -1, 'drv:xe_timeslice_expire', { id });
}
