// The clear of a new xe VRAM BO and the pre_migrate_fence that stands for it (drivers/gpu/drm/xe/
// xe_svm.c, xe_drm_pagemap_populate_mm(), Linux 7.0: "Ensure that any clearing or async eviction
// will complete before migration": when the BO's DMA_RESV_USAGE_KERNEL fences have not signalled,
// their singleton is handed to drm_pagemap_devmem_init() as pre_migrate_fence; include/drm/
// drm_pagemap.h, struct drm_pagemap_devmem: "@pre_migrate_fence: Fence to wait for or pipeline
// behind before migration starts"; struct drm_pagemap_devmem_ops, copy_to_devmem: "dma-fence to
// wait for before migration start").
//
// TTM clears a fresh device BO with a job on the migrate engine (xe_migrate_clear) that runs
// whenever the GPU gets to it; the model starts that job where the BO's VRAM comes to exist, in
// drm_pagemap_migrate_to_devmem()'s populate_devmem_pfn step, and the job writes zero to each page
// of the allocation. While it has not run, the allocation's pre_migrate_fence is unsignalled:
// State.counters[xeClearKey(id)] is 1, and copy_to_devmem waits for it to reach 0.
//
// Context: a GPU job on the device's copy engine (no CPU, no locks, no sleeping). Returns 0.
import { spawn } from '../../model/engine.js';
import { count, defineProc, ret, type Env } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';

/** The counter that is 1 while the allocation's clear (its pre_migrate_fence) is outstanding. */
export const xeClearKey = (id: number): string => `xe_bo_clear:${id}`;

export const xeBoClear = defineProc<{ id: number; pages: number[] }>('xe_bo_clear', {
  start(env, l) {
    for (const page of l.pages) {
      const p = env.s.phys[page];
      if (p) mut(PAGES, p).data = 0;
    }
    delete env.s.counters[xeClearKey(l.id)];
    count(env, 'xe: VRAM BO cleared (pre_migrate_fence signalled)');
    return ret(0);
  },
});

/** Submits the clear of device allocation `id`'s new pages: its pre_migrate_fence is unsignalled until it runs. */
export function xeStartBoClear(env: Env, gpu: number, id: number, pages: number[]): void {
  if (pages.length === 0) return;
  env.s.counters[xeClearKey(id)] = 1;
  // On the device's copy engine (xe's migrate queue), not on a CPU (model/cpus.ts needsCpu).
  spawn(env.s, `gpu${gpu} copy clear ${id}`, -1, 'drv:xe_bo_clear', { id, pages });
}
