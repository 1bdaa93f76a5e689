// drm_pagemap_folio_free() (dev_pagemap_ops.folio_free, drivers/gpu/drm/drm_pagemap.c at
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001): a device page's last reference is gone; the reference
// its zone_device_data holds on the zdd is put.
//
// Context: wherever the last put_page() happened; cannot sleep. Return: nothing.
import type { Env } from '../../model/proc.js';
import { drmPagemapZddPut } from './drmPagemapZdd.js';

export function drmPagemapFolioFree(env: Env, page: number): void {
  const zdd = env.s.phys[page]?.zdd ?? -1;
  if (zdd >= 0) drmPagemapZddPut(env, zdd);
}
