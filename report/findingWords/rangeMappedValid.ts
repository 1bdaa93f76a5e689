import type { Words } from '../../properties/invariant.js';
import type { RangeMappedValidFinding } from '../../properties/rangeMappedValid.js';
import { va } from '../pageWords.js';

export function rangeMappedValidWords(f: RangeMappedValidFinding): Words {
  const d = f.data;
  return {
    expected: `gpu${d.gpu} PTE for ${va(d.pid, d.vpn)} (svm_range [${d.start}, ${d.last}] records it mapped)`,
    actual: 'no PTE',
    message: `svm_range [${d.start}, ${d.last}] believes ${va(d.pid, d.vpn)} is mapped on gpu${d.gpu}, but it is not`,
  };
}
