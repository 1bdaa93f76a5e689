import { match } from 'ts-pattern';
import type { DmaFenceForwardProgressFinding } from '../../../properties/fence/dmaFenceForwardProgress.js';
import type { Words } from '../../../properties/invariant.js';

export function dmaFenceForwardProgressWords(f: DmaFenceForwardProgressFinding): Words {
  const d = f.data;
  const why = match(f.code)
    .with('page-fault', () => `${d.agent} is handling a GPU page fault`)
    .with('reclaim', () => `${d.agent} is in reclaim`)
    .with('hmm-fence', () => `${d.agent} waits on an hmm_fence`)
    .exhaustive();
  return {
    expected: `${d.fence} signals within bounded time of its job becoming runnable (step ${d.ready + 1})`,
    actual: d.chain.map((c) => `${c.agent} waits for ${c.waits}`).join('; '),
    message: `${d.fence} depends on unbounded work: ${why}`,
  };
}
