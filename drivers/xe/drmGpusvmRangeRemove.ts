// drm_gpusvm_range_remove() (drivers/gpu/drm/drm_gpusvm.c at 0542972950ef26670a5696e43c0ea2b7b6ac96d4):
// under the notifier lock, unmap the range's pages (__drm_gpusvm_unmap_pages: the dma mappings go,
// has_devmem_pages and has_dma_mapping are cleared, the pages' drm_pagemap reference is put) and take
// the range out of its notifier's tree; then drop the tree's reference (drm_gpusvm_range_put), and
// remove the notifier when no range is left in it (mmu_interval_notifier_remove).
//
// Context: the caller holds the driver's svm lock and the gpusvm's notifier lock (the kernel takes
// the latter inside; the model's caller takes it in the same step). Returns nothing.
import { notifierRemove } from '../../model/notifier.js';
import type { State } from '../../model/types.js';
import { drmGpusvmUnmapPages } from './drmGpusvmUnmapPages.js';
import { xeState, type XeRange } from './xeState.js';

export function drmGpusvmRangeRemove(s: State, r: XeRange): void {
  const st = xeState(s);
  drmGpusvmUnmapPages(r);
  // __drm_gpusvm_free_pages(): the dma_addr array goes.
  r.pages.pfns = [];
  st.ranges = st.ranges.filter((x) => x !== r);
  st.gc = st.gc.filter((x) => x !== r.id);
  r.ref--;
  if (!st.ranges.some((x) => x.nid === r.nid)) {
    notifierRemove(s, r.nid);
    st.notifiers = st.notifiers.filter((n) => n.nid !== r.nid);
  }
}
