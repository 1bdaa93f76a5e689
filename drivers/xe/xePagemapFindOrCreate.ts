// xe_pagemap_find_or_create() (drivers/gpu/drm/xe/xe_svm.c of a 7.0-based tree, pongo1231/linux
// 6f49c541d9c21af7ee64f46dd461e2b4e8d4e3fd) over drm_pagemap_util.c's cache (torvalds/linux
// 939faf71cf7ca9ab3d1bd2912ac0e203d4d7156a), as DOC: Cache lookup prescribes: under the cache's
// lookup_mutex, drm_pagemap_get_from_cache(); on NULL, xe_pagemap_create() and
// drm_pagemap_cache_set_pagemap(), "carried out as an atomic operation WRT other lookups".
//
// drm_pagemap_get_from_cache() (kernel-doc): "If an active pagemap is present in the cache, it is
// immediately returned. If an inactive pagemap is present, it's removed from the shrinker list and
// an attempt is made to make it active. If no pagemap present or the attempt to make it active
// failed, NULL is returned": an active one gets a reference (drm_pagemap_get_unless_zero); an
// inactive one is revived only if drm_pagemap_shrinker_cancel() still finds it on the shrinker's
// list ("The latter may fail if the shrinker is already in the process of freeing the pagemap",
// struct drm_pagemap_cache), then drm_pagemap_reinit() (kref_init) and set back into the cache;
// otherwise the cache's pointer is cleared and a new pagemap is created. Callers: xe_svm_init()
// (xe_svm_get_pagemaps, one per VM and tile) and xe_drm_pagemap_from_fd() (xe_devmem_open, madvise's
// preferred location naming a device), both inside drm_dev_enter(): -ENODEV once unplugged.
//
// The wait for the cache's @queued completion (an inactive pagemap not yet on the shrinker's list)
// cannot happen in the model: drm_pagemap_put() parks the pagemap in the step its kref reaches zero
// (drivers/xe/drmPagemap.ts). xe_pagemap_create()'s allocations do not fail in the model.
//
// Context: process (an ioctl); takes the cache's lookup_mutex, which nothing else holds across a
// sleep. Returns the pagemap id, a counted reference the caller keeps, or 'ENODEV'.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { drmDevEnter, drmDevExit } from '../../model/devmem.js';
import { instanceName } from '../../model/instanceName.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { count, goto, type Env, type StepResult } from '../../model/proc.js';
import { drmPagemapShrinkerCancel } from './drmPagemap.js';
import { pagemapById, xeState } from './xeState.js';

/** drm_pagemap_cache->lookup_mutex of GPU `gpu`'s (one tile's) cache. */
export const pagemapLookupMutex = instanceName('drm_pagemap_cache_lookup_mutex');

export interface XeFindOrCreateArgs {
  gpu: number;
}

export interface XeFindOrCreateLocals extends XeFindOrCreateArgs {
  /** The pagemap found or created, -1 while none. */
  id: number;
}

export const xePagemapFindOrCreate: DriverProc<XeFindOrCreateArgs, number | 'ENODEV', XeFindOrCreateLocals> =
  defineDriverProc<XeFindOrCreateArgs, number | 'ENODEV', XeFindOrCreateLocals>('xe_pagemap_find_or_create', {
    start(env, l) {
      if (!drmDevEnter(env.s, l.gpu)) return xePagemapFindOrCreate.ret('ENODEV');
      const b = lockOrBlock(env, pagemapLookupMutex(l.gpu), 'w');
      if (b) {
        drmDevExit(env.s, l.gpu);
        return b;
      }
      l.id = -1;
      return goto('lookup');
    },
    lookup(env, l) {
      // drm_pagemap_get_from_cache(), under cache->lock.
      const st = xeState(env.s);
      const p = pagemapById(st, st.cache[l.gpu] ?? -1);
      if (p && p.ref > 0) {
        p.ref++;
        l.id = p.id;
        return finish(env, l);
      }
      if (!p) return goto('create');
      st.cache[l.gpu] = -1;
      if (!drmPagemapShrinkerCancel(st, p)) {
        count(env, 'xe: drm_pagemap lookup lost the race with the shrinker, new pagemap');
        return goto('create');
      }
      // drm_pagemap_reinit(): kref_init; drm_pagemap_cache_set_pagemap().
      p.ref = 1;
      st.cache[l.gpu] = p.id;
      l.id = p.id;
      count(env, 'xe: drm_pagemap revived from the cache');
      return finish(env, l);
    },
    create(env, l) {
      // xe_pagemap_create(): drm_pagemap_init() takes the first reference; then set_pagemap.
      const st = xeState(env.s);
      const id = st.next++;
      st.pagemaps.push({ id, gpu: l.gpu, ref: 1, listed: false });
      // drm_WARN_ON(drm, !!old): the cache held a pagemap although the lookup found none.
      if ((st.cache[l.gpu] ?? -1) >= 0)
        count(env, 'xe: WARN drm_pagemap_cache_set_pagemap over a cached pagemap');
      st.cache[l.gpu] = id;
      l.id = id;
      count(env, 'xe: drm_pagemap created');
      return finish(env, l);
    },
  });

function finish(env: Env, l: XeFindOrCreateLocals): StepResult {
  unlock(env, pagemapLookupMutex(l.gpu));
  drmDevExit(env.s, l.gpu);
  return xePagemapFindOrCreate.ret(l.id);
}
