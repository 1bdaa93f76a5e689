// The fence policy whose MMU notifier waits for every job still using the invalidated range,
// hmm_fences included (König's rule 5 broken): invalidate's 'unmap' step collects those jobs'
// fences to wait for, then runs the reference's own (withSteps and stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { stepOf } from '../../api/stepOf.js';
import type { State } from '../../model/types.js';
import { fenceReference } from './fenceReference.js';
import type { FenceInvalidateLocals } from './fenceInvalidate.js';

/** Unsignalled fences of the jobs on this GPU that access the range (what a userptr notifier waits for). */
function jobsInRange(s: State, l: FenceInvalidateLocals): number[] {
  return s.sync.jobs
    .filter(
      (j) =>
        j.user &&
        j.gpu === l.tag &&
        j.work.k === 'access' &&
        j.work.pid === l.pid &&
        j.work.vpn >= l.start &&
        j.work.vpn < l.end &&
        s.sync.fences[j.fence]?.signaled === false,
    )
    .map((j) => j.fence);
}

const unmap = stepOf<FenceInvalidateLocals>(fenceReference, 'invalidate', 'unmap');

export const notifierWaitsHmm: Driver = defineDriver(
  withSteps<FenceInvalidateLocals>(
    fenceReference,
    'invalidate',
    {
      unmap(env, l, r) {
        // The bug: the jobs using the range are waited for too, whatever their fence.
        l.waits = jobsInRange(env.s, l);
        return unmap(env, l, r);
      },
    },
    {
      name: 'fence-notifier-waits-hmm',
      summary:
        'fence policy whose MMU notifier waits for every job using the invalidated range, as a userptr notifier waits on its BO fences',
      broken: {
        bug: 'the notifier (inside mmap_lock for munmap) waits on an hmm_fence whose job is stalled on a page fault that needs that mmap_lock',
        fix: 'König, seed 003 rule 5: no wait on an hmm_fence inside a critical section (MMU notifiers, page faults, GPU schedulers, dma_resv); faulting work is unmapped, not waited for',
        expects: 'fence',
        layer: 'fences-locks',
        scenario: [
          'a compute job with an hmm_fence faults on a page; its migration runs the MMU notifier',
          'the notifier waits on that hmm_fence, whose job is the fault it runs inside',
        ],
      },
    },
  ),
);
