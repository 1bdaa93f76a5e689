// struct drm_pagemap_zdd's refcount (drivers/gpu/drm/drm_pagemap.c at
// 10dd1eaa80a56d3cf6d7c36b5269c8fed617f001): drm_pagemap_zdd_alloc() starts it at one (the
// migrating call's reference, put at its end), drm_pagemap_get_devmem_page() takes one for every
// device page whose zone_device_data points at it, drm_pagemap_folio_free() puts that one when the
// page is freed. At zero, drm_pagemap_zdd_destroy() completes the allocation's `detached` and
// releases it (devmem_release: the xe BO goes). In the model the zdd and its devmem allocation are
// one record (XeDevmem), created together by drm_pagemap_migrate_to_devmem(). The zdd holds a
// counted reference on its drm_pagemap (zdd->dpagemap, drm_pagemap_zdd_alloc), put when it is
// destroyed (drivers/xe/drmPagemap.ts).
//
// Context: any (page_free runs wherever the last page reference is dropped; the kernel defers the
// release work). Return: nothing.
import type { Env } from '../../model/proc.js';
import { count } from '../../model/proc.js';
import { KernelOops } from '../../model/kernelOops.js';
import { drmPagemapPut } from './drmPagemap.js';
import { devmemById, xeState } from './xeState.js';

export function drmPagemapZddGet(env: Env, id: number): void {
  const d = devmemById(xeState(env.s), id);
  if (!d || d.detached)
    throw new KernelOops('oops', { code: 'zdd-get-destroyed', at: {}, data: { zdd: id } });
  d.zddRef++;
}

export function drmPagemapZddPut(env: Env, id: number): void {
  const st = xeState(env.s);
  const d = devmemById(st, id);
  if (!d || d.detached)
    throw new KernelOops('oops', { code: 'zdd-put-destroyed', at: {}, data: { zdd: id } });
  d.zddRef--;
  if (d.zddRef > 0) return;
  // drm_pagemap_zdd_destroy(): complete_all(&devmem->detached); devmem_release(); kfree(zdd);
  // drm_pagemap_put(zdd->dpagemap).
  d.detached = true;
  st.devmem = st.devmem.filter((x) => x !== d);
  count(env, 'xe: device allocation released');
  drmPagemapPut(env, d.dpagemap);
}
