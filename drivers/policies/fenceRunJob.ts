// drm_sched_backend_ops.run_job: driver code in the job fence's signalling path (the scheduler
// holds dma_fence_begin_signalling around it). It must not allocate with GFP_KERNEL: reclaim may
// wait on the very fence it is about to signal (dma-fence.c, "fence signalling annotation").
import { defineProc, ret, type Proc } from '../../model/proc.js';

/**
 * run_job - drm_sched_backend_ops.run_job: the job goes to the hardware. Its hardware fence was
 * preallocated at submission, so nothing is allocated here.
 *
 * Context: inside dma_fence_begin_signalling of the job's fence (the scheduler's annotation).
 * Return: 0.
 */
export const fenceRunJob: Proc = defineProc<{ job: number }>('run_job', {
  start() {
    return ret(0);
  },
});
