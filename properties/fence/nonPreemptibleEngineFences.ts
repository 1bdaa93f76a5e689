import { ENGINES } from '../../model/fence/engines.js';
import type { Invariant } from '../invariant.js';

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
        expected: `job ${e.job} on gpu${e.gpu} ${e.engine} gets an hmm_fence, or reserved resources`,
        actual: `dma_fence ${e.fence} with the ${e.engine} engine shared with faulting work`,
        message: `dma_fence ${e.fence} of job ${e.job} can get stuck behind a job stalled on a page fault on gpu${e.gpu} ${e.engine}, which cannot preempt it`,
      };
    }
    return null;
  },
};
