import type { FindingOf, Invariant } from '../invariant.js';

export type HmmDependencyWaitedBeforeLocksFinding = FindingOf<
  'waited-holding',
  { fence: number; held: string[] }
>;

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
        code: 'waited-holding',
        at: { fence: e.fence },
        data: { fence: e.fence, held: [...e.held] },
      } satisfies HmmDependencyWaitedBeforeLocksFinding;
    }
    return null;
  },
};
