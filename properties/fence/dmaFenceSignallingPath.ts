import { DMA_FENCE_MAP } from '../../model/lockdep/pseudoLocks.js';
import type { Invariant } from '../invariant.js';

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
          expected: 'no dma_resv lock in a dma_fence signalling path',
          actual: `dma_resv_lock(${e.name}) holding ${e.held.join(', ')}`,
          message: `a dma_fence signalling path takes ${e.name}, whose holders may wait for that fence`,
        };
      if (e.e === 'alloc' && e.gfp === 'GFP_KERNEL' && e.held.includes(DMA_FENCE_MAP))
        return {
          expected: 'no allocation that can enter reclaim in a dma_fence signalling path',
          actual: `${e.gfp} allocation of ${e.what} holding ${e.held.join(', ')}`,
          message: `a dma_fence signalling path allocates ${e.what} with GFP_KERNEL: reclaim may wait on the fence it is about to signal`,
        };
    }
    return null;
  },
};
