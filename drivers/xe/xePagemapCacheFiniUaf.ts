// Upstream behaviour the xe model reproduces (archived open: counterexamples/xe-f7753bac3965.json),
// an open finding of xe (drivers/xe/xeOpenFindings.ts lists it) recognised by the cache's pointer
// to a drm_pagemap destroyed after its device was unplugged.
//
// drm_pagemap_shrinker_add() (drivers/gpu/drm/drm_pagemap_util.c at
// 939faf71cf7ca9ab3d1bd2912ac0e203d4d7156a) destroys a released drm_pagemap directly once the device
// is unplugged ("The pagemap cache and shrinker are disabled at pci device remove time. After that,
// dpagemaps are freed directly."), without clearing the cache's pointer to it (cache->dpagemap:
// "Non-refcounted pointer"); xe_pagemap_destroy() from that (atomic or reclaim) context queues
// xe_pagemap_destroy_work(), which kfree()s the xe_pagemap. drm_pagemap_cache_fini(), the cache's
// devres action that runs later in the same device removal, reads cache->dpagemap and calls
// drm_pagemap_shrinker_cancel() on it, which reads dpagemap->cache: a use-after-free whenever the
// last reference on the cached pagemap goes between drm_dev_unplug() and the devres release (a VM
// closed by its process's exit, a preferred location replaced, the last device page of a zdd
// evicted by the remove path) and the destroy work has run by then.
import type { OpenFinding } from '../../model/openFinding.js';

const CACHE_HOLDER = /^drm_pagemap_cache of gpu\d+ \(cache->dpagemap\)$/;

/** The cache's pointer to a drm_pagemap freed after its device was unplugged. */
export const xePagemapCacheFiniUaf: OpenFinding = {
  case: 'xe-f7753bac3965',
  invariant: 'driver-object-lifetime',
  explains: (f, _s, stats) =>
    f.code === 'dangling' &&
    CACHE_HOLDER.test(String(f.data?.['holder'] ?? '')) &&
    stats.has('xe: drm_pagemap released after unplug, destroyed'),
};
