import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** The MMU notifier waits for the jobs still using the range, hmm_fences included. */
export const notifierWaitsHmm: Driver = {
  ...makeFenceDriver(
    'fence-notifier-waits-hmm',
    'fence policy whose MMU notifier waits for every job using the invalidated range, as a userptr notifier waits on its BO fences',
    { notifierWaitsForJobs: true },
  ),
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
};
