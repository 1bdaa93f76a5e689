// drm_sched_backend_ops.run_job: driver code in the job fence's signalling path (the scheduler
// holds dma_fence_begin_signalling around it). It must not allocate with GFP_KERNEL: reclaim may
// wait on the very fence it is about to signal (dma-fence.c, "fence signalling annotation").
import { mightAlloc } from '../../model/fence/mightAlloc.js';
import { defineProc, ret, type Proc } from '../../model/proc.js';
import type { FenceBugs } from './fenceBugs.js';

export function fenceRunJob(bugs: FenceBugs): Proc {
  return defineProc<{ job: number }>('run_job', {
    start(env) {
      // The hardware fence is preallocated at submission; the broken policy allocates it here.
      if (bugs.allocInRunJob) mightAlloc(env, 'the hardware fence (amdgpu_fence_emit)', 'GFP_KERNEL');
      return ret(0);
    },
  });
}
