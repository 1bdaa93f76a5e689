// xe's part of a device unbind (the kernel's device_unbind calls it after drm_dev_unplug()): the
// device pages are evicted to system memory (drivers/common/unbindDevmem.ts: "after that migrate all
// device pages to system ram", drm_pagemap.c DOC: Overview), then the devres actions of the
// pagemap cache run: drm_pagemap_cache_fini() (drivers/gpu/drm/drm_pagemap_util.c at
// 939faf71cf7ca9ab3d1bd2912ac0e203d4d7156a; drm_pagemap_cache_create_devm(): "The cache is
// automatically destroyed on struct device removal, at which point any *inactive* drm_pagemap's
// are destroyed"): under cache->lock, a cached pagemap still on the shrinker's list is taken off it
// (drm_pagemap_shrinker_cancel) and destroyed; an active one is left to its holders, whose last
// drm_pagemap_put() destroys it directly (drm_pagemap_shrinker_add() after unplug); the cache is
// freed. drm_pagemap_shrinker_fini() follows (a WARN if a pagemap were still listed).
//
// Context: the kernel's device_unbind, after drm_dev_unplug(); no driver lock. Returns 0.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { driverProcName } from '../../model/driver.js';
import { call, count, goto } from '../../model/proc.js';
import { drmPagemapDestroy, drmPagemapShrinkerCancel } from './drmPagemap.js';
import { pagemapById, xeState } from './xeState.js';

/** The procedure-table name the common device-memory eviction is registered under in xe. */
export const XE_UNBIND_DEVMEM = 'xe_unbind_devmem';

export interface XeUnbindArgs {
  gpu: number;
}

export const xeUnbind: DriverProc<XeUnbindArgs, 0> = defineDriverProc<XeUnbindArgs, 0>('unbind', {
  start(_env, l) {
    return call(driverProcName(XE_UNBIND_DEVMEM), { gpu: l.gpu }, 'cache_fini');
  },
  cache_fini(env, l) {
    const st = xeState(env.s);
    const c = st.cache[l.gpu] ?? -2;
    if (c >= 0) {
      // A pagemap freed while the cache still pointed to it was reported when it was freed
      // (driver-object-lifetime: Driver.refs lists the cache's pointer); the read here is the
      // use-after-free, which the model carries on past as if it found the pagemap off the list.
      const p = pagemapById(st, c);
      if (!p) count(env, 'xe: drm_pagemap_cache_fini() read a freed drm_pagemap');
      else if (drmPagemapShrinkerCancel(st, p)) {
        drmPagemapDestroy(env, st, p, false);
        count(env, 'xe: inactive drm_pagemap destroyed with its cache at device removal');
      }
    }
    // kfree(cache).
    st.cache[l.gpu] = -2;
    return goto('done');
  },
  done() {
    return xeUnbind.ret(0);
  },
});
