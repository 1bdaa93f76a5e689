// The dma-mapping loop of drm_gpusvm_get_pages() (drivers/gpu/drm/drm_gpusvm.c at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4): the pfns hmm_range_fault() returned become the pages'
// dma addresses. One drm_pagemap per pages struct: a device page of another pagemap than the
// first's, or (without allow_mixed) of another zdd, or a system page after device pages, is
// -EOPNOTSUPP; with devmem_only a system page is -EFAULT. On failure the pages mapped so far are
// unmapped (__drm_gpusvm_unmap_pages); on success has_dma_mapping (and has_devmem_pages with the
// pagemap) are set.
//
// Context: gpusvm->notifier_lock held, the sequence already rechecked. Returns null or the errno.
import { pfnPage } from '../../model/kernel/hmm.js';
import { isDevicePage } from '../../model/mem.js';
import type { State } from '../../model/types.js';
import { drmGpusvmUnmapPages } from './drmGpusvmUnmapPages.js';
import type { XeErr, XeRange } from './xeState.js';

export function drmGpusvmMapPages(
  s: State,
  r: XeRange,
  pfns: readonly number[],
  ctx: { allowMixed: boolean; devmemOnly: boolean },
): XeErr | null {
  let zdd = -1;
  let pagemap = -1;
  let err: XeErr | null = null;
  for (let i = 0; i < pfns.length && !err; i++) {
    const page = pfnPage(pfns[i] ?? -1);
    const pg = s.phys[page];
    if (pg && isDevicePage(s, page)) {
      if (!ctx.allowMixed && zdd !== pg.zdd && i > 0) err = 'EOPNOTSUPP';
      zdd = pg.zdd;
      if (pagemap !== pg.gpu) {
        if (i > 0) err = 'EOPNOTSUPP';
        pagemap = pg.gpu;
      }
    } else if (pagemap >= 0 && !ctx.allowMixed) err = 'EOPNOTSUPP';
    else if (ctx.devmemOnly) err = 'EFAULT';
  }
  if (err) {
    drmGpusvmUnmapPages(r);
    return err;
  }
  r.pages.dma = true;
  r.pages.devmem = pagemap >= 0;
  r.pages.dpagemap = pagemap;
  r.pages.pfns = [...pfns];
  return null;
}
