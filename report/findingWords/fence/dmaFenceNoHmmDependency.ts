import type { DmaFenceNoHmmDependencyFinding } from '../../../properties/fence/dmaFenceNoHmmDependency.js';
import type { Words } from '../../../properties/invariant.js';

export function dmaFenceNoHmmDependencyWords(f: DmaFenceNoHmmDependencyFinding): Words {
  const d = f.data;
  return {
    expected: `dma_fence ${d.fence} created with no unsignalled hmm_fence dependency`,
    actual: `it depends on hmm_fence ${d.hmmDeps.join(', ')}`,
    message: `job ${d.job} publishes dma_fence ${d.fence} that depends on hmm_fence ${d.hmmDeps.join(', ')}, which may stall on page faults indefinitely`,
  };
}
