// __drm_gpusvm_unmap_pages() (drivers/gpu/drm/drm_gpusvm.c at 0542972950ef26670a5696e43c0ea2b7b6ac96d4):
// the pages' dma mappings are torn down, has_devmem_pages and has_dma_mapping cleared (so
// drm_gpusvm_range_pages_valid() is false from now on) and the pages' drm_pagemap reference put.
// The dma_addr array itself stays until __drm_gpusvm_free_pages() (range removal): what it holds is
// stale from here on. Called from the notifier callback for every range it covers ("Must be called in the invalidate()
// callback of the corresponding notifier for IOMMU security model") and from range removal.
//
// Context: gpusvm->notifier_lock held (lockdep_assert_held). Returns nothing.
import type { XeRange } from './xeState.js';

export function drmGpusvmUnmapPages(r: XeRange): void {
  if (!r.pages.dma && !r.pages.devmem) return;
  r.pages.dma = false;
  r.pages.devmem = false;
  r.pages.dpagemap = -1;
}
