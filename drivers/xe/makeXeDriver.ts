// The drm_gpusvm + drm_pagemap family as xe uses it (Linux 7.0: drivers/gpu/drm/drm_gpusvm.c at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4, drivers/gpu/drm/drm_pagemap.c at
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001, drivers/gpu/drm/xe/xe_svm.c at
// 0131514f97890c4699a4d7ca14b720dafefdbc71), several devices: one gpusvm per device and process,
// device memory allocations with their zdd, devices of one interconnect group sharing a pgmap owner.
//
// Who calls whom: the kernel's GPU fault path calls xe's handler (gpu_fault), which calls the
// garbage collector, drm_gpusvm (find_or_insert, get_pages, range_evict, range_remove) and
// drm_pagemap (populate_mm -> migrate_to_devmem, evict_to_ram on VRAM pressure); those call core
// mm (hmm_range_fault, migrate_vma_*, migrate_device_pfns), whose invalidations call back into
// drm_gpusvm's notifier (invalidate) and whose CPU faults on device pages call drm_pagemap's
// migrate_to_ram; the last put of a device page calls folio_free. The drm_pagemap of each device
// (drm_pagemap.c, drm_pagemap_util.c 939faf71cf7c) is refcounted by the VMs, zdds and preferred
// locations that hold it, parked in the device's pagemap cache when unused, revived by the next
// lookup (xe_pagemap_find_or_create) or destroyed by the shrinker (reclaim calls `shrink`) or with
// the cache at device removal (unbind).
import type { Driver } from '../../model/driver.js';
import { unbindDevmem } from '../common/unbindDevmem.js';
import { xeBoClear } from './xeBoClear.js';
import { drmGpusvmGetPages } from './drmGpusvmGetPages.js';
import { drmGpusvmNotifierInvalidate } from './drmGpusvmNotifierInvalidate.js';
import { drmGpusvmRangeEvict } from './drmGpusvmRangeEvict.js';
import { drmPagemapEvictToRam } from './drmPagemapEvictToRam.js';
import { drmPagemapFolioFree } from './drmPagemapFolioFree.js';
import { drmPagemapMigrateToDevmem } from './drmPagemapMigrateToDevmem.js';
import { drmPagemapMigrateToRam } from './drmPagemapMigrateToRam.js';
import { drmPagemapTimesliceExpire } from './drmPagemapTimesliceExpire.js';
import type { XeDesign } from './xeDesign.js';
import { xeGarbageCollector } from './xeGarbageCollector.js';
import { xeHandlePagefault } from './xeHandlePagefault.js';
import { xeMadvise } from './xeMadvise.js';
import { xePopulateMm } from './xePopulateMm.js';
import { xeSvmAllocVram } from './xeSvmAllocVram.js';
import { xePrefetch } from './xePrefetch.js';
import { xeKrefs, xeRefs } from './xeRefs.js';
import { drmPagemapShrinkerScan } from './drmPagemapShrinkerScan.js';
import { XE_PAGEMAP_DESTROY_WORK } from './drmPagemap.js';
import { xePagemapDestroyWork } from './xePagemapDestroyWork.js';
import { xePagemapFindOrCreate } from './xePagemapFindOrCreate.js';
import { xeSvmInit } from './xeSvmInit.js';
import { XE_UNBIND_DEVMEM, xeUnbind } from './xeUnbind.js';
import { initXeState, xeOwner } from './xeState.js';
import { XE_OPEN_FINDINGS } from './xeOpenFindings.js';

export function makeXeDriver(name: string, summary: string, design: XeDesign): Omit<Driver, 'broken'> {
  return {
    name,
    summary,
    suite: 'multi-device',
    // Behaviour of the code as read, checked against xe_svm.c, drm_gpusvm.c and mm/ (the README's
    // xe section), archived open (counterexamples/xe-*): hmm_range_fault reports
    // our own device-private pages without faulting them for write, and the range is bound with
    // one permission, so after mprotect or fork the GPU may write a page the CPU may not
    // (mirror-consistency); get_pages failing with -EFAULT / -EPERM on a range an mprotect left
    // partly inaccessible is retried by __xe_svm_handle_pagefault for ever (forward-progress).
    // The multi-device suite leaves mprotect and fork out for that reason; the others have them.
    // An atomic fault (devmem_only) gives up after three migration attempts (migrate_try_count,
    // xe_svm.c 0131514f9789: "retry count exceeded"), so a permitted atomic whose migrations fail or
    // race with munmap / MADV_DONTNEED three times ends in a fatal GPU fault
    // (counterexamples/xe-51c9199c2e0f.json: permitted-access-served).
    openFindings: XE_OPEN_FINDINGS,
    init: initXeState,
    pgmapOwner: xeOwner,
    pageFree: drmPagemapFolioFree,
    refs: xeRefs,
    krefs: xeKrefs,
    procs: {
      gpu_fault: xeHandlePagefault(design),
      migrate_to_ram: drmPagemapMigrateToRam,
      invalidate: drmGpusvmNotifierInvalidate,
      migrate: xePrefetch(design),
      set_attr: xeMadvise,
      unbind: xeUnbind,
      [XE_UNBIND_DEVMEM]: unbindDevmem,
      shrink: drmPagemapShrinkerScan,
      [XE_PAGEMAP_DESTROY_WORK]: xePagemapDestroyWork,
      xe_pagemap_find_or_create: xePagemapFindOrCreate,
      xe_svm_init: xeSvmInit,
      drm_gpusvm_get_pages: drmGpusvmGetPages,
      drm_gpusvm_range_evict: drmGpusvmRangeEvict,
      drm_pagemap_migrate_to_devmem: drmPagemapMigrateToDevmem,
      drm_pagemap_evict_to_ram: drmPagemapEvictToRam,
      xe_timeslice_expire: drmPagemapTimesliceExpire,
      xe_bo_clear: xeBoClear,
      xe_populate_mm: xePopulateMm,
      xe_svm_alloc_vram: xeSvmAllocVram,
      xe_svm_garbage_collector: xeGarbageCollector,
    },
  };
}
