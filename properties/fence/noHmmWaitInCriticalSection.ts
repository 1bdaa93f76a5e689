import type { FindingOf, Invariant } from '../invariant.js';
import { criticalSections, type CriticalSection } from './criticalSections.js';

export type NoHmmWaitInCriticalSectionFinding = FindingOf<
  'wait-in-section',
  { fence: number; sections: CriticalSection[]; why: string; held: string[] }
>;

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
        code: 'wait-in-section',
        at: { fence: e.fence },
        data: { fence: e.fence, sections: cs, why: e.why, held: [...e.held] },
      } satisfies NoHmmWaitInCriticalSectionFinding;
    }
    return null;
  },
};
