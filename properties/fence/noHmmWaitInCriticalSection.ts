import type { Invariant } from '../invariant.js';
import { criticalSections } from './criticalSections.js';

/** König's rules 4-5 (seed 003_e625142124b19d0f.txt). */
export const noHmmWaitInCriticalSection: Invariant = {
  id: 'no-hmm-fence-wait-in-critical-section',
  cls: 'fence',
  meaning:
    'Nothing waits on an hmm_fence inside a critical section — an MMU notifier, a page-fault handler, the GPU scheduler, a held dma_resv lock or reclaim (König, seed 003 rules 4-5).',
  transition: true,
  events: ['fence-wait'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'fence-wait' || e.kind !== 'hmm') continue;
      const cs = criticalSections(e.held);
      if (!cs.length) continue;
      return {
        expected: `no wait on hmm_fence ${e.fence} inside ${cs.join(', ')}`,
        actual: `${e.why}, holding ${e.held.join(', ')}`,
        message: `hmm_fence ${e.fence} is waited for inside ${cs.join(' and ')}: its job may be stalled on a page fault that cannot be resolved until that section ends`,
      };
    }
    return null;
  },
};
