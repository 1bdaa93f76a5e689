import type { Words } from '../../properties/invariant.js';
import type { ValueCoherenceFinding } from '../../properties/valueCoherence.js';
import { pageRefName, va } from '../pageWords.js';

export function valueCoherenceWords(f: ValueCoherenceFinding): Words {
  const d = f.data;
  const who = f.code === 'cpu' ? 'CPU' : `gpu${f.data.gpu}`;
  const through = f.code === 'gpu' ? ` through ${pageRefName(f.data.page)}` : '';
  return {
    expected: `${who} read of ${va(d.pid, d.vpn)} returns ${d.want}`,
    actual: `it returned ${d.got}${through}`,
    message: `${who} read a stale value at ${va(d.pid, d.vpn)}`,
  };
}
