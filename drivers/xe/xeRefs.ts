// The pointers between drm_gpusvm's and drm_pagemap's objects as xe holds them, for the KASAN-style
// driver-object-lifetime invariant (Driver.refs). Read at drivers/gpu/drm/drm_gpusvm.c
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4, drivers/gpu/drm/drm_pagemap.c
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001 and drivers/gpu/drm/xe/xe_svm.c
// 0131514f97890c4699a4d7ca14b720dafefdbc71:
// - drm_gpusvm's own (drivers/common/drmGpusvmRefs.ts): each registered mmu_interval_notifier to
//   the struct drm_gpusvm_notifier it is embedded in (container_of() in
//   drm_gpusvm_notifier_invalidate()), each struct drm_gpusvm_range to its notifier
//   (range->notifier; drm_gpusvm_range_remove() frees the notifier once its tree is empty), and
//   xe's garbage-collector list (vm->svm.garbage_collector.range_list, filled by
//   xe_svm_garbage_collector_add_range() and emptied by xe_svm_garbage_collector()) to its ranges;
// - a device page's zone_device_data to its struct drm_pagemap_zdd
//   (drm_pagemap_get_devmem_page() sets it with a reference): drm_pagemap_folio_free() puts it
//   through that pointer and drm_pagemap_migrate_to_ram() reads the devmem allocation through it,
//   so a zdd destroyed (drm_pagemap_zdd_destroy) while an allocated device page points to it is
//   reached through freed memory. A page whose last reference is gone still points to it until
//   its folio_free has run (State.pagesToFree).
// - the pointers to struct drm_pagemap (drivers/xe/drmPagemap.ts: drm_pagemap.c at 10dd1eaa80a5,
//   drm_pagemap_util.c at 939faf71cf7c): the counted references of each open VM
//   (vm->svm.pagemaps[]), each zdd (zdd->dpagemap) and each page's preferred location
//   (vma->attr.preferred_loc.dpagemap), and the uncounted ones of each device's drm_pagemap_cache
//   (cache->dpagemap, until drm_pagemap_cache_fini frees the cache) and shrinker list; a pagemap
//   destroyed (drm_pagemap_destroy) while one of them points to it is reached through freed memory.
//   Whether the counted ones match the kref is kref-accounting's (xeKrefs).
// The zdd's own pointer to its devmem allocation (zdd->devmem_allocation) is not listed: the model
// keeps the zdd and the allocation as one record (XeDevmem, drmPagemapZdd.ts), freed together. A
// range's pages.dpagemap is a device number in the model, not a pointer to a drm_pagemap: the
// range's drm_gpusvm_pages keep no reference (drm_gpusvm.c 0542972950ef), and the pages themselves
// keep theirs through the zdd.
import type { DriverRef, KrefView } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { drmGpusvmRefs } from '../common/drmGpusvmRefs.js';
import { xeView, type XeState } from './xeState.js';

/** Every pointer xe's notifier registrations, ranges, collector list and device pages hold to its objects. */
export function xeRefs(s: State): DriverRef[] {
  const st = xeView(s);
  const files = new Set(st.files.map((f) => f.nid));
  const out = drmGpusvmRefs({
    // xe is the only one to insert interval notifiers in its runs (tagged with their device), the
    // stand-in notifiers of its DRM files aside (xeSvmInit.ts).
    registered: s.notifiers.filter((n) => n.alive && !files.has(n.id)).map((n) => n.id),
    notifiers: st.notifiers.map((n) => n.nid),
    ranges: st.ranges,
    gc: st.gc,
  });
  const zdds = new Set(st.devmem.filter((d) => !d.detached).map((d) => d.id));
  const pendingFree = new Set(s.pagesToFree);
  s.phys.forEach((p, page) => {
    if (p.gpu < 0 || p.zdd < 0 || (p.free && !pendingFree.has(page))) return;
    out.push({
      holder: `device page ${page} (zone_device_data)`,
      target: `drm_pagemap_zdd ${p.zdd}`,
      live: zdds.has(p.zdd),
    });
  });
  const live = new Set(st.pagemaps.map((p) => p.id));
  const to = (holder: string, id: number): void => {
    out.push({ holder, target: pagemapName(id), live: live.has(id) });
  };
  for (const h of pagemapHolders(st)) to(h.holder, h.id);
  st.cache.forEach((id, gpu) => {
    if (id >= 0) to(`drm_pagemap_cache of gpu${gpu} (cache->dpagemap)`, id);
  });
  st.shrinkList.forEach((list, gpu) => {
    for (const id of list) to(`drm_pagemap_shrinker of gpu${gpu} (its list of unused pagemaps)`, id);
  });
  return out;
}

const pagemapName = (id: number): string => `drm_pagemap ${id}`;

/** Every counted reference on a drm_pagemap, with its holder. */
function pagemapHolders(st: Readonly<XeState>): { holder: string; id: number }[] {
  const out: { holder: string; id: number }[] = [];
  for (const v of st.vms)
    out.push({ holder: `xe_vm (gpu${v.gpu}, pid ${v.pid}) svm.pagemaps`, id: v.dpagemap });
  for (const d of st.devmem)
    if (!d.detached) out.push({ holder: `drm_pagemap_zdd ${d.id} (zdd->dpagemap)`, id: d.dpagemap });
  for (const [pid, held] of Object.entries(st.prefDp))
    held.forEach((id, vpn) => {
      if (id >= 0)
        out.push({ holder: `pid ${pid} page ${vpn} preferred location (attr.preferred_loc.dpagemap)`, id });
    });
  return out;
}

/** xe's drm_pagemaps as kref-accounting sees them: each kref against the holders pointing to it. */
export function xeKrefs(s: State): KrefView[] {
  const st = xeView(s);
  const holders = pagemapHolders(st);
  return st.pagemaps.map((p) => ({
    object: `${pagemapName(p.id)} (gpu${p.gpu})`,
    kref: p.ref,
    holders: holders.filter((h) => h.id === p.id).map((h) => h.holder),
    destroyed: p.dying === true,
  }));
}
