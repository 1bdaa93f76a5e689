// The bookkeeping of drm_gpusvm (include/drm/drm_gpusvm.h) and drm_pagemap (include/drm/drm_pagemap.h)
// as xe keeps it, one drm_gpusvm per device and process (xe_vm: vm->svm.gpusvm), as plain data:
// notifiers over aligned blocks, ranges with their refcount and their one drm_gpusvm_pages (one
// drm_pagemap per pages struct), the garbage collector's list, device memory allocations
// (struct drm_pagemap_devmem, one per xe BO) with the zdd that page->zone_device_data points at,
// and xe's madvise preferred location per page.
//
// Read at torvalds/linux drivers/gpu/drm/drm_gpusvm.c 0542972950ef26670a5696e43c0ea2b7b6ac96d4,
// drivers/gpu/drm/drm_pagemap.c 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001 and
// drivers/gpu/drm/xe/xe_svm.c 0131514f97890c4699a4d7ca14b720dafefdbc71.
import { instanceName } from '../../model/instanceName.js';
import { driverState, driverStateView } from '../../model/touched.js';
import type { Config, State } from '../../model/types.js';
import type { Errno } from '../../model/errno.js';

/** The errors of this family: the model's Errno and the two drm_gpusvm / drm_pagemap add. */
export type XeErr = Errno | 'ENODEV' | 'EOPNOTSUPP';

/** struct drm_gpusvm_pages_flags and what drm_gpusvm_pages holds beside them. */
export interface XePages {
  /** has_dma_mapping: get_pages mapped the pages (cleared by unmap_pages in the notifier). */
  dma: boolean;
  /** has_devmem_pages: the pages are device pages of `dpagemap`. */
  devmem: boolean;
  /** svm_pages->dpagemap: the GPU whose drm_pagemap the device pages belong to, -1 for none. */
  dpagemap: number;
  /** flags.unmapped / flags.partial_unmap (drm_gpusvm_range_set_unmapped). */
  unmapped: boolean;
  partialUnmap: boolean;
  /** The pfns get_pages mapped (the dma_addr array), one per page of the range; stale once unmapped. */
  pfns: number[];
}

/** struct drm_gpusvm_range plus xe_svm_range's tile_present. */
export interface XeRange {
  id: number;
  gpu: number;
  pid: number;
  start: number;
  /** Inclusive (itree.last). */
  last: number;
  nid: number;
  /** kref: the range tree's reference (kref_init) plus drm_gpusvm_range_get() holders. */
  ref: number;
  /** pages.flags.migrate_devmem: an anonymous VMA, so migrate_vma_* may move it. */
  migrateDevmem: boolean;
  pages: XePages;
  /** xe_svm_range->tile_present & ~tile_invalidated: the GPU has a binding for the range. */
  bound: boolean;
}

/** struct drm_gpusvm_notifier: an mmu_interval_notifier over an aligned block of one gpusvm. */
export interface XeNotifier {
  nid: number;
  gpu: number;
  pid: number;
  start: number;
  end: number;
}

/**
 * struct drm_pagemap_devmem (an xe BO's devmem_allocation) and the struct drm_pagemap_zdd that owns
 * it: the zdd's kref counts the migrating call's reference and one per device page whose
 * zone_device_data points at it; at zero the allocation is detached and released.
 */
export interface XeDevmem {
  id: number;
  gpu: number;
  pid: number;
  start: number;
  n: number;
  zddRef: number;
  /** complete_all(&devmem->detached) ran: no device page refers to the allocation any more. */
  detached: boolean;
  /**
   * devmem_allocation->timeslice_expiration still in the future: the timeslice_ms (absent: none
   * or expired) the migration asked for, during which migrate_to_ram leaves the pages alone.
   */
  slice?: number;
  /** The GPU whose fault asked for the timeslice (drmPagemapTimesliceExpire's timing assumption). */
  sliceGpu?: number;
  /** That GPU's fault is between this migration and its bind (the timing assumption's window). */
  pinned?: true;
  /** zdd->dpagemap: the refcounted pointer to the drm_pagemap the pages come from (drm_pagemap_zdd_alloc). */
  dpagemap: number;
}

/**
 * struct drm_pagemap (embedded in xe's struct xe_pagemap, with its dev_pagemap) while allocated:
 * its kref and whether it sits on the device's drm_pagemap_shrinker list (shrink_link). A destroyed
 * one is gone from XeState.pagemaps. drivers/xe/drmPagemap.ts has the rules.
 */
export interface XePagemap {
  id: number;
  gpu: number;
  /** dpagemap->ref: 0 once drm_pagemap_release() ran (inactive, parked in the cache or being destroyed). */
  ref: number;
  /** !list_empty(&dpagemap->shrink_link): on the shrinker's list of unused pagemaps. */
  listed: boolean;
  /** Destroyed from atomic or reclaim context: xe's destroy work, queued, frees it. */
  dying?: true;
}

/** An open xe_vm's SVM state of one (device, process): vm->svm.pagemaps[tile] (xe_svm_get_pagemaps). */
export interface XeVm {
  gpu: number;
  pid: number;
  /** The counted reference xe_svm_init() took through xe_pagemap_find_or_create(). */
  dpagemap: number;
}

/** The DRM file a process opened (the model's stand-in notifier for its release at exit). */
export interface XeFile {
  pid: number;
  nid: number;
}

export interface XeState {
  ranges: XeRange[];
  notifiers: XeNotifier[];
  /** vm->svm.garbage_collector.range_list, range ids. */
  gc: number[];
  devmem: XeDevmem[];
  next: number;
  /** xe madvise DRM_XE_MEM_RANGE_ATTR_PREFERRED_LOC per pid and page: -1 default device, 0 system, g + 1 GPU g. */
  pref: Record<number, number[]>;
  /** The device each page was last migrated to, per pid (for seed 002's ping-pong figure). */
  lastDev: Record<number, number[]>;
  /**
   * The drm_pagemap each page's madvise preferred location holds a reference on
   * (vma->attr.preferred_loc.dpagemap, from xe_drm_pagemap_from_fd), per pid; -1 or absent: none.
   */
  prefDp: Record<number, number[]>;
  /** Allocated drm_pagemaps. */
  pagemaps: XePagemap[];
  /**
   * Per GPU (one tile, one VRAM region): the drm_pagemap_cache's non-refcounted dpagemap pointer,
   * -1 for NULL, -2 once drm_pagemap_cache_fini() freed the cache at device removal.
   */
  cache: number[];
  /** Per GPU: the drm_pagemap_shrinker's list (dpagemaps), oldest first. */
  shrinkList: number[][];
  /** Open VMs (xe_svm_init done, xe_svm_close not yet). */
  vms: XeVm[];
  /** Processes with an open DRM file. */
  files: XeFile[];
}

export const initXeState = (cfg: Config): XeState => ({
  ranges: [],
  notifiers: [],
  gc: [],
  devmem: [],
  next: 0,
  pref: {},
  lastDev: {},
  prefDp: {},
  pagemaps: [],
  // xe_pagemap_cache_create() at tile init and xe_pagemap_shrinker_create() at probe: empty.
  cache: cfg.gpus.map(() => -1),
  shrinkList: cfg.gpus.map(() => []),
  vms: [],
  files: [],
});

export const xeState = (s: State): XeState => driverState<XeState>(s);
export const xeView = (s: State): Readonly<XeState> => driverStateView<XeState>(s);

/**
 * Notifier blocks and chunk sizes in model pages: xe's 512M notifiers and fault_chunk_sizes
 * (SZ_2M, SZ_64K, SZ_4K), scaled as the gpusvm driver scales them.
 */
export const XE_NOTIFIER_PAGES = 4;
export const XE_CHUNKS = [4, 2, 1] as const;

/** An instance per (GPU, process): xe_vm is per device and file. */
const inst = (gpu: number, pid: number): number => gpu * 8 + pid;
const vmLockName = instanceName('xe_vm_lock');
const notifierLockName = instanceName('gpusvm_notifier_lock');
/** vm->lock, the 'driver_svm_lock' of drm_gpusvm's DOC: Locking. */
export const vmLock = (gpu: number, pid: number): string => vmLockName(inst(gpu, pid));
/** gpusvm->notifier_lock (DOC: Locking: the driver->update lock of Documentation/mm/hmm.rst). */
export const notifierLock = (gpu: number, pid: number): string => notifierLockName(inst(gpu, pid));

/**
 * dev_pagemap owner: devices in one fast-interconnect group (the config's hive) share one owner,
 * so hmm_range_fault and migrate_vma see each other's device-private pages as their own.
 */
export const xeOwner = (cfg: Config, gpu: number): number => (cfg.gpus[gpu]?.hive ?? 0) + 1;

/** A range by id in `st` (xeState to change it, xeView to look). */
export function rangeById<T extends Readonly<XeState>>(st: T, id: number): T['ranges'][number] | undefined {
  return st.ranges.find((r) => r.id === id);
}

/** An allocated drm_pagemap by id. */
export function pagemapById<T extends Readonly<XeState>>(
  st: T,
  id: number,
): T['pagemaps'][number] | undefined {
  return st.pagemaps.find((p) => p.id === id);
}

/** A device memory allocation (its zdd) by id. */
export function devmemById<T extends Readonly<XeState>>(st: T, id: number): T['devmem'][number] | undefined {
  return st.devmem.find((d) => d.id === id);
}

/** Preferred location of a page: -1 the faulting device (DRM_XE_PREFERRED_LOC_DEFAULT_DEVICE), 0 system, g + 1 GPU g. */
export function preferredLoc(s: State, pid: number, vpn: number): number {
  return xeView(s).pref[pid]?.[vpn] ?? -1;
}
