import type { HmmDependencyWaitedBeforeLocksFinding } from '../../../properties/fence/hmmDependencyWaitedBeforeLocks.js';
import type { Words } from '../../../properties/invariant.js';

export function hmmDependencyWaitedBeforeLocksWords(f: HmmDependencyWaitedBeforeLocksFinding): Words {
  const d = f.data;
  return {
    expected: `hmm_fence ${d.fence} waited for before any lock is taken`,
    actual: `waited for it holding ${d.held.join(', ')}`,
    message: `the submission of a dma_fence waits for its hmm_fence dependency ${d.fence} only after taking ${d.held.join(', ')}: the faulting job behind that fence may need them`,
  };
}
