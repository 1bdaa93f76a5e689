import type { NonPreemptibleEngineFencesFinding } from '../../../properties/fence/nonPreemptibleEngineFences.js';
import type { Words } from '../../../properties/invariant.js';

export function nonPreemptibleEngineFencesWords(f: NonPreemptibleEngineFencesFinding): Words {
  const d = f.data;
  return {
    expected: `job ${d.job} on gpu${d.gpu} ${d.engine} gets an hmm_fence, or reserved resources`,
    actual: `dma_fence ${d.fence} with the ${d.engine} engine shared with faulting work`,
    message: `dma_fence ${d.fence} of job ${d.job} can get stuck behind a job stalled on a page fault on gpu${d.gpu} ${d.engine}, which cannot preempt it`,
  };
}
