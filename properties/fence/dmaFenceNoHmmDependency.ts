import type { Invariant } from '../invariant.js';

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
        expected: `dma_fence ${e.fence} created with no unsignalled hmm_fence dependency`,
        actual: `it depends on hmm_fence ${e.pendingHmmDeps.join(', ')}`,
        message: `job ${e.job} publishes dma_fence ${e.fence} that depends on hmm_fence ${e.pendingHmmDeps.join(', ')}, which may stall on page faults indefinitely`,
      };
    }
    return null;
  },
};
