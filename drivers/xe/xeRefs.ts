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
// The zdd's own pointer to its devmem allocation (zdd->devmem_allocation) is not listed: the model
// keeps the zdd and the allocation as one record (XeDevmem, drmPagemapZdd.ts), freed together. A
// range's drm_pagemap (pages.dpagemap) is a device's, which the model never frees.
import type { DriverRef } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { drmGpusvmRefs } from '../common/drmGpusvmRefs.js';
import { xeView } from './xeState.js';

/** Every pointer xe's notifier registrations, ranges, collector list and device pages hold to its objects. */
export function xeRefs(s: State): DriverRef[] {
  const st = xeView(s);
  const out = drmGpusvmRefs({
    // xe is the only one to insert interval notifiers in its runs (tagged with their device).
    registered: s.notifiers.filter((n) => n.alive).map((n) => n.id),
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
  return out;
}
