import type { Words } from '../../properties/invariant.js';
import type { WindowInRangeFinding } from '../../properties/windowInRange.js';

export function windowInRangeWords(f: WindowInRangeFinding): Words {
  const d = f.data;
  return {
    expected: `window inside range [${d.rangeStart}, ${d.rangeLast}] and inside VMAs`,
    actual: `window [${d.start}, ${d.last}]${d.inVma ? '' : ' reaches unmapped memory'}`,
    message: `migration window [${d.start}, ${d.last}] is not clipped to its svm_range [${d.rangeStart}, ${d.rangeLast}]`,
  };
}
