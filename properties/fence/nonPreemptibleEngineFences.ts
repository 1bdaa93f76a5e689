import { ENGINES } from '../../model/fence/engines.js';
import type { FindingOf, Invariant } from '../invariant.js';

export type NonPreemptibleEngineFencesFinding = FindingOf<
  'dma-fence-on-shared-engine',
  { job: number; gpu: number; engine: string; fence: number }
>;

/** Kuehling's classification (seed 003_e625142124b19d0f.txt); dma-buf.rst "Recoverable Hardware Page Faults Implications". */
export const nonPreemptibleEngineFences: Invariant = {
  id: 'non-preemptible-engine-fences',
  cls: 'fence',
  meaning:
    'On an engine that cannot preempt work stalled on a page fault, every fence is an hmm_fence or its job runs in resources reserved for dma_fence work (Kuehling, seed 003; dma-buf.rst "Recoverable Hardware Page Faults Implications").',
  transition: true,
  events: ['job-submit'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'job-submit' || e.kind !== 'dma' || e.reserved || ENGINES[e.engine].preempt) continue;
      return {
        code: 'dma-fence-on-shared-engine',
        at: { job: e.job, gpu: e.gpu, fence: e.fence },
        data: { job: e.job, gpu: e.gpu, engine: e.engine, fence: e.fence },
      } satisfies NonPreemptibleEngineFencesFinding;
    }
    return null;
  },
};
