import type { FindingOf, Invariant } from '../invariant.js';

export type DmaFenceNoHmmDependencyFinding = FindingOf<
  'hmm-dependency',
  { job: number; fence: number; hmmDeps: number[] }
>;

/** König's rule 1 (seed 003_e625142124b19d0f.txt); dma-buf.rst "Indefinite DMA Fences". */
export const dmaFenceNoHmmDependency: Invariant = {
  id: 'dma-fence-no-hmm-dependency',
  cls: 'fence',
  meaning:
    'A dma_fence never depends on an hmm_fence that has not signalled (König, seed 003 rule 1; dma-buf.rst "Indefinite DMA Fences": indefinite fences may depend on DMA fences, not the other way round).',
  transition: true,
  events: ['job-submit'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'job-submit' || e.kind !== 'dma' || e.pendingHmmDeps.length === 0) continue;
      return {
        code: 'hmm-dependency',
        at: { job: e.job, fence: e.fence },
        data: { job: e.job, fence: e.fence, hmmDeps: [...e.pendingHmmDeps] },
      } satisfies DmaFenceNoHmmDependencyFinding;
    }
    return null;
  },
};
