// Driver unbind of a GPU: the driver's remove path for its device memory, then memunmap_pages().
// The remove path is the driver's `unbind` entry point (test_hmm's dmirror_device_remove_chunks:
// evict with migrate_device_range(), then memunmap_pages(); drm_pagemap's device removal evicts
// with drm_pagemap_evict_to_ram() and refuses new population with -ENODEV; kfd evicts its BOs) and
// runs with the device unplugged (drm_dev_unplug(): drm_dev_enter() fails from then on).
// memunmap_pages() (mm/memremap.c, 6.1) kills pgmap->ref and waits for the completion its release
// signals: a page reference nobody drops keeps the unbinding task waiting forever (hung task).
import { driverProcName } from '../driver.js';
import { devSectionKey, devmemLife, markDevmemDying, markDevmemGone, markDevmemKilled } from '../devmem.js';
import { block, call, defineProc, emit, goto, reschedTo, ret } from '../proc.js';
import type { State } from '../types.js';

interface L {
  gpu: number;
}

/** Device pages of the GPU still allocated (a reference held). */
export function devmemInUse(s: State, gpu: number): number[] {
  const base = s.vramBase[gpu] ?? 0;
  const n = s.cfg.gpus[gpu]?.vram ?? 0;
  const out: number[] = [];
  for (let page = base; page < base + n; page++) {
    const pg = s.phys[page];
    if (pg && !pg.free) out.push(page);
  }
  return out;
}

export const deviceUnbind = defineProc<L>('device_unbind', {
  start(env, l) {
    const fn = driverProcName('unbind');
    if (!env.procs.has(fn)) {
      emit(env, {
        e: 'syscall',
        op: 'device_unbind',
        pid: -1,
        err: 'SKIP',
        detail: 'the driver has no unbind',
      });
      return ret(0);
    }
    if (devmemLife(env.s, l.gpu) !== 'live') {
      emit(env, {
        e: 'syscall',
        op: 'device_unbind',
        pid: -1,
        err: 'ENODEV',
        detail: `gpu${l.gpu} already unbound`,
      });
      return ret(0);
    }
    markDevmemDying(env.s, l.gpu);
    return goto('unplugged');
  },
  unplugged(env, l) {
    // drm_dev_unplug(): synchronize_srcu() waits for every drm_dev_enter() section to end.
    const key = devSectionKey(l.gpu);
    if (env.s.counters[key]) return block({ k: 'counter', key, until: 0 });
    return call(driverProcName('unbind'), { gpu: l.gpu }, 'memunmap');
  },
  memunmap(env, l) {
    markDevmemKilled(env.s, l.gpu);
    return reschedTo('wait');
  },
  wait(env, l) {
    // wait_for_completion(&pgmap->done): sleeps until the last page reference is dropped.
    if (devmemInUse(env.s, l.gpu).length > 0) return reschedTo('wait');
    markDevmemGone(env.s, l.gpu);
    return ret(0);
  },
});
