import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** A dma_fence submission waits for its hmm_fence dependency only after reserving its buffers. */
export const lateHmmWait: Driver = {
  ...makeFenceDriver(
    'fence-late-hmm-wait',
    'fence policy that reserves the buffers of a dma_fence submission before waiting for its hmm_fence dependency',
    { lateHmmWait: true },
  ),
  broken: {
    bug: 'the submission sleeps on an hmm_fence holding a dma_resv; the faulting job behind that fence may need to evict exactly that buffer',
    fix: 'König, seed 003 rule 6: with an hmm_fence dependency for a new dma_fence, wait for it before taking any lock or reserving resources',
    expects: 'fence',
    layer: 'fences-locks',
    scenario: [
      'a job with an hmm_fence runs; a 3D submission that depends on it reserves its buffer',
      'it then sleeps on the hmm_fence holding the dma_resv the faulting job may need to evict',
    ],
  },
};
