// drm_pagemap_shrinker_scan() (drivers/gpu/drm/drm_pagemap_util.c at
// 939faf71cf7ca9ab3d1bd2912ac0e203d4d7156a), the scan_objects of each xe device's
// drm_pagemap_shrinker (xe_pagemap_shrinker_create(), xe_svm.c of a 7.0-based tree, pongo1231/linux
// 6f49c541d9c2), run by reclaim (the model's `reclaim` operation: direct reclaim with fs_reclaim
// held, shrink_slab() calling every registered shrinker): the unused pagemaps are destroyed, oldest
// first. For each, under shrinker->lock it is taken off the list (list_del_init); the lock is
// dropped; then, under cache->lock, the cache's pointer is cleared (cache->dpagemap = NULL, whatever
// it points to by then) and the pagemap destroyed (drm_pagemap_destroy(dpagemap, true): xe defers
// the dev_pagemap's teardown to a work item). Between the two a lookup may find the pagemap inactive
// and off the list: drm_pagemap_shrinker_cancel() fails and the lookup creates a new one ("The latter
// may fail if the shrinker is already in the process of freeing the pagemap", struct
// drm_pagemap_cache) — the race the model keeps, with a preemption point where the source drops
// shrinker->lock. sc->nr_to_scan is taken to cover every listed pagemap.
//
// Context: reclaim (fs_reclaim held); spinlocks only. Returns 0.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { KernelBug } from '../../model/kernelBug.js';
import { count, goto, yieldTo } from '../../model/proc.js';
import { drmPagemapDestroy } from './drmPagemap.js';
import { pagemapById, xeState } from './xeState.js';

export interface XeShrinkLocals {
  /** The device whose shrinker runs. */
  gpu: number;
  /** The pagemap taken off the list, -1 for none. */
  id: number;
}

export const drmPagemapShrinkerScan: DriverProc<object, 0, XeShrinkLocals> = defineDriverProc<
  object,
  0,
  XeShrinkLocals
>('shrink', {
  start(_env, l) {
    l.gpu = 0;
    l.id = -1;
    return goto('next');
  },
  next(env, l) {
    // Under shrinker->lock: list_first_entry_or_null(), list_del_init().
    const st = xeState(env.s);
    while (l.gpu < st.shrinkList.length && !st.shrinkList[l.gpu]?.length) l.gpu++;
    const list = st.shrinkList[l.gpu];
    const id = list?.[0];
    if (!list || id === undefined) return drmPagemapShrinkerScan.ret(0);
    st.shrinkList[l.gpu] = list.slice(1);
    const p = pagemapById(st, id);
    if (p) p.listed = false;
    l.id = id;
    // spin_unlock(&shrinker->lock).
    return yieldTo('clear');
  },
  clear(env, l) {
    // cache = dpagemap->cache; under cache->lock, cache->dpagemap = NULL.
    const st = xeState(env.s);
    const p = pagemapById(st, l.id);
    if (!p) return goto('next');
    const c = st.cache[p.gpu] ?? -2;
    if (c === -2)
      throw new KernelBug('driver-object-lifetime', 'memory-safety', {
        code: 'pagemap-cache-freed',
        at: { gpu: p.gpu },
        data: { gpu: p.gpu },
      });
    st.cache[p.gpu] = -1;
    return goto('destroy');
  },
  destroy(env, l) {
    const st = xeState(env.s);
    const p = pagemapById(st, l.id);
    if (p) {
      drmPagemapDestroy(env, st, p, true);
      count(env, 'xe: drm_pagemap shrunk');
    }
    l.id = -1;
    return goto('next');
  },
});
