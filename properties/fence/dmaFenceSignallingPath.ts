import { DMA_FENCE_MAP } from '../../model/lockdep/pseudoLocks.js';
import type { FindingOf, Invariant } from '../invariant.js';

/** resv-lock: a dma_resv lock taken; alloc: a GFP_KERNEL allocation (`what`), in a signalling path. */
export type DmaFenceSignallingPathFinding =
  | FindingOf<'resv-lock', { lock: string; held: string[] }>
  | FindingOf<'alloc', { gfp: string; what: string; held: string[] }>;

/** drivers/dma-buf/dma-fence.c "fence signalling annotation" and dma-resv.c dma_resv_lockdep(). */
export const dmaFenceSignallingPath: Invariant = {
  id: 'dma-fence-signalling-path',
  cls: 'fence',
  meaning:
    'Code that must run for a dma_fence to signal takes no dma_resv lock and makes no allocation that can enter reclaim (dma-fence.c "fence signalling annotation"; dma_resv_lockdep() orders dma_resv and fs_reclaim before dma_fence waits).',
  transition: true,
  events: ['resv-lock', 'alloc'],
  check(_s, events) {
    for (const e of events) {
      if (e.e === 'resv-lock' && !e.trylock && e.held.includes(DMA_FENCE_MAP))
        return {
          code: 'resv-lock',
          at: {},
          data: { lock: e.name, held: [...e.held] },
        } satisfies DmaFenceSignallingPathFinding;
      if (e.e === 'alloc' && e.gfp === 'GFP_KERNEL' && e.held.includes(DMA_FENCE_MAP))
        return {
          code: 'alloc',
          at: {},
          data: { gfp: e.gfp, what: e.what, held: [...e.held] },
        } satisfies DmaFenceSignallingPathFinding;
    }
    return null;
  },
};
