import type { Words } from '../../properties/invariant.js';
import type { NoStaleFaultStateFinding } from '../../properties/noStaleFaultState.js';
import { va } from '../pageWords.js';

export function noStaleFaultStateWords(f: NoStaleFaultStateFinding): Words {
  const d = f.data;
  const what =
    f.code === 'window' ? `migration window [${d.start}, ${d.last}]` : `svm_range [${d.start}, ${d.last}]`;
  return {
    expected: `gpu${d.gpu}'s fault at ${va(d.pid, d.vpn)}, raised on an earlier mapping, is dropped`,
    actual: `it made a ${what} for the mapping there now (oracle cell ${d.now}, not ${d.cell})`,
    message: `stale GPU fault: a fault raised before munmap acted on the new mapping at ${va(d.pid, d.vpn)}`,
  };
}
