import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** The fence policy that keeps König's rules and Kuehling's classification (seed 003). */
export const fenceReference: Driver = makeFenceDriver(
  'fence-reference',
  'fence policy keeping the rules of seed 003: hmm_fences for jobs that may fault, dma_fences with reserved resources on engines that cannot preempt faulting work, hmm_fence dependencies waited for before any lock, notifiers that wait only for dma_fences of GPU unmaps',
);
