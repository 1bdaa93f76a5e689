import type { Words } from '../../properties/invariant.js';
import type { XnackOffQueuesStoppedFinding } from '../../properties/xnackOffQueuesStopped.js';

export function xnackOffQueuesStoppedWords(f: XnackOffQueuesStoppedFinding): Words {
  const d = f.data;
  return {
    expected: `pid ${d.pid}'s queues evicted while svm_range [${d.start}, ${d.last}] is invalid`,
    actual: `its queues run with prange->invalid = ${d.invalid}`,
    message: `pid ${d.pid}'s GPU queues run while svm_range [${d.start}, ${d.last}] is invalid: the GPU may use the stale mappings`,
  };
}
