// struct drm_pagemap's refcount and its release into the pagemap cache, as Linux 7.0 writes them:
// drivers/gpu/drm/drm_pagemap.c at 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001 (drm_pagemap_put(),
// drm_pagemap_release(), drm_pagemap_reinit(), drm_pagemap_destroy()), include/drm/drm_pagemap.h of
// the same series (drm_pagemap_get(), drm_pagemap_get_unless_zero(), @destroy's kernel-doc), and
// drivers/gpu/drm/drm_pagemap_util.c at 939faf71cf7ca9ab3d1bd2912ac0e203d4d7156a
// (drm_pagemap_shrinker_add(), drm_pagemap_shrinker_cancel(), struct drm_pagemap_cache); xe's
// @destroy, xe_pagemap_destroy(), read in xe_svm.c of a 7.0-based tree (pongo1231/linux
// 6f49c541d9c21af7ee64f46dd461e2b4e8d4e3fd).
//
// Who holds a counted reference (each one put by its holder, drm_pagemap_put()):
// - every open VM, on its device's pagemap (xe_svm_init() -> xe_svm_get_pagemaps() ->
//   xe_pagemap_find_or_create(); put by xe_svm_close() -> xe_svm_put_pagemaps());
// - every zdd, on the pagemap its pages come from (drm_pagemap_zdd_alloc(): zdd->dpagemap =
//   drm_pagemap_get(dpagemap); put by drm_pagemap_zdd_destroy());
// - every page's madvise preferred location naming a device (vma->attr.preferred_loc.dpagemap,
//   from xe_drm_pagemap_from_fd(); put when the attribute is replaced or destroyed).
// The cache's pointer (drm_pagemap_cache->dpagemap) is not a reference ("Non-refcounted pointer").
//
// At zero, drm_pagemap_release() runs drm_pagemap_shrinker_add(): a pagemap with a cache, on a
// device not yet unplugged (drm_dev_enter()), is parked on the device's shrinker list (inactive,
// still the cache's) and the cache's @queued completes; otherwise it is destroyed at once ("The
// pagemap cache and shrinker are disabled at pci device remove time. After that, dpagemaps are
// freed directly."). Release and shrinker_add run under spinlocks only, in the caller's step, so
// the window between kref_put() reaching zero and list_add_tail(), in which a lookup sleeps on
// @queued, is never open in the model. drm_pagemap_destroy(dpagemap, is_atomic_or_reclaim) calls
// xe_pagemap_destroy(), which from atomic or reclaim context (shrinker_add's direct destruction,
// the shrinker) queues xe_pagemap_destroy_work() on xe->destroy_wq and otherwise runs it at once;
// the work frees the struct (kfree(xpagemap)), so until it runs the pagemap is allocated but
// released (kref 0, on no list, `dying`). The drm_device and module references of
// drm_pagemap_dev_hold are not modelled.
//
// Context: any (folio_free's zdd put included): spinlocks only, never sleeps. Return: nothing.
import { KernelBug } from '../../model/kernelBug.js';
import { drmDevEnter, drmDevExit } from '../../model/devmem.js';
import type { Env } from '../../model/proc.js';
import { count } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { driverProcName } from '../../model/driver.js';
import { spawn } from '../../model/spawn.js';
import { pagemapById, xeState, xeView, type XePagemap, type XeState } from './xeState.js';

const underflow = (what: string, id: number): KernelBug =>
  new KernelBug('kref-accounting', 'refcount', {
    code: 'pagemap-kref-dead',
    at: {},
    data: { op: what, pagemap: id },
  });

/** drm_pagemap_get(): kref_get() on a pagemap a holder already keeps alive. */
export function drmPagemapGet(env: Env, id: number): void {
  const p = pagemapById(xeState(env.s), id);
  if (!p || p.ref <= 0) throw underflow('addition', id);
  p.ref++;
}

/** drm_pagemap_put(): kref_put(&dpagemap->ref, drm_pagemap_release). */
export function drmPagemapPut(env: Env, id: number): void {
  const st = xeState(env.s);
  const p = pagemapById(st, id);
  if (!p || p.ref <= 0) throw underflow('underflow', id);
  p.ref--;
  if (p.ref === 0) drmPagemapShrinkerAdd(env, st, p);
}

/** drm_pagemap_release() -> drm_pagemap_shrinker_add(): park the pagemap for the shrinker, or destroy it. */
function drmPagemapShrinkerAdd(env: Env, st: XeState, p: XePagemap): void {
  // The cache is the pagemap's own back-pointer (dpagemap->cache), set by drm_pagemap_cache_set_pagemap;
  // every pagemap xe creates goes into its tile's cache, so only an unplugged device has none to use.
  if (!drmDevEnter(env.s, p.gpu)) {
    count(env, 'xe: drm_pagemap released after unplug, destroyed');
    drmPagemapDestroy(env, st, p, true);
    return;
  }
  p.listed = true;
  st.shrinkList[p.gpu]?.push(p.id);
  drmDevExit(env.s, p.gpu);
  count(env, 'xe: drm_pagemap unused, parked for the shrinker');
}

/**
 * drm_pagemap_destroy() -> xe_pagemap_destroy(): from atomic or reclaim context the destroy work is
 * queued (xePagemapDestroyWork frees the struct), otherwise it runs at once.
 */
export function drmPagemapDestroy(env: Env, st: XeState, p: XePagemap, atomicOrReclaim: boolean): void {
  if (atomicOrReclaim) {
    p.dying = true;
    spawn(env.s, 'kworker', -1, driverProcName(XE_PAGEMAP_DESTROY_WORK), { id: p.id });
    return;
  }
  xePagemapFree(env, st, p);
}

/** xe_pagemap_destroy_work(): drm_pagemap_release_owner(); kfree(xpagemap). */
export function xePagemapFree(env: Env, st: XeState, p: XePagemap): void {
  st.pagemaps = st.pagemaps.filter((x) => x !== p);
  count(env, 'xe: drm_pagemap freed');
}

/** The procedure-table name of xe's destroy work. */
export const XE_PAGEMAP_DESTROY_WORK = 'xe_pagemap_destroy_work';

/** drm_pagemap_shrinker_cancel(): take the pagemap off its shrinker's list; false if it was not on it. */
export function drmPagemapShrinkerCancel(st: XeState, p: XePagemap): boolean {
  if (!p.listed) return false;
  p.listed = false;
  const list = st.shrinkList[p.gpu];
  if (list) st.shrinkList[p.gpu] = list.filter((x) => x !== p.id);
  return true;
}

/**
 * drm_pagemap_get_from_cache_if_active() as xe_tile_local_pagemap() uses it: the cache's pagemap if
 * its kref is not zero, else -1. xe takes and puts the reference at once (asserting that the VM's
 * own keeps it at 2 or more), so the model only looks.
 */
export function drmPagemapCacheActive(s: State, gpu: number): number {
  const st = xeView(s);
  const id = st.cache[gpu] ?? -1;
  const p = id >= 0 ? pagemapById(st, id) : undefined;
  return p && p.ref > 0 ? p.id : -1;
}
