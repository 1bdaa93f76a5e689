// The fence policy whose run_job allocates the hardware fence with GFP_KERNEL inside the
// dma_fence signalling path: run_job's 'start' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { mightAlloc } from '../../model/fence/mightAlloc.js';
import { ret } from '../../model/proc.js';
import { fenceReference } from './fenceReference.js';

export const allocInSignalling: Driver = defineDriver(
  withSteps(
    fenceReference,
    'run_job',
    {
      start(env) {
        // The bug: the hardware fence allocated here, not preallocated at submission.
        mightAlloc(env, 'the hardware fence (amdgpu_fence_emit)', 'GFP_KERNEL');
        return ret(0);
      },
    },
    {
      name: 'fence-signal-alloc',
      summary: 'fence policy whose run_job allocates the hardware fence with GFP_KERNEL',
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
    },
  ),
);
