import type { Words } from '../../properties/invariant.js';
import type { SetAttrAtomicFinding } from '../../properties/setAttrAtomic.js';

export function setAttrAtomicWords(f: SetAttrAtomicFinding): Words {
  const d = f.data;
  return {
    expected: `set_attr [${d.start}, ${d.end}) = -${d.err} changes no svm_range`,
    actual: 'the range list changed (ranges split or replaced)',
    message: `rejected set_attr (-${d.err}) left pid ${d.pid}'s svm_ranges modified`,
  };
}
