import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** run_job allocates with GFP_KERNEL inside the dma_fence signalling path. */
export const allocInSignalling: Driver = {
  ...makeFenceDriver(
    'fence-signal-alloc',
    'fence policy whose run_job allocates the hardware fence with GFP_KERNEL',
    { allocInRunJob: true },
  ),
  broken: {
    bug: 'a GFP_KERNEL allocation in the dma_fence signalling path can enter reclaim, whose shrinkers and MMU notifiers may wait on that same fence',
    fix: 'drivers/dma-buf/dma-fence.c "fence signalling annotation": code needed to complete a dma_fence allocates nothing that can reclaim (preallocate at submission, or GFP_NOWAIT)',
    expects: 'fence',
    layer: 'fences-locks',
    scenario: [
      'a job with a dma_fence reaches run_job inside dma_fence_begin_signalling',
      'run_job allocates with GFP_KERNEL: reclaim may wait on that very fence',
    ],
  },
};
