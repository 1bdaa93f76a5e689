import type { Invariant } from '../invariant.js';

/** König's rule 6 (seed 003_e625142124b19d0f.txt). */
export const hmmDependencyWaitedBeforeLocks: Invariant = {
  id: 'hmm-dependency-waited-before-locks',
  cls: 'fence',
  meaning:
    'A submission whose new dma_fence would depend on an hmm_fence waits for that hmm_fence before it takes any lock or reserves any resource (König, seed 003 rule 6).',
  transition: true,
  events: ['fence-wait'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'fence-wait' || e.purpose !== 'dependency' || e.kind !== 'hmm' || e.held.length === 0)
        continue;
      return {
        expected: `hmm_fence ${e.fence} waited for before any lock is taken`,
        actual: `waited for it holding ${e.held.join(', ')}`,
        message: `the submission of a dma_fence waits for its hmm_fence dependency ${e.fence} only after taking ${e.held.join(', ')}: the faulting job behind that fence may need them`,
      };
    }
    return null;
  },
};
