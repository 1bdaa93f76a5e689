import { vmaAt } from '../model/mem.js';
import type { Invariant } from './invariant.js';

export const windowInRange: Invariant = {
  id: 'window-in-range',
  cls: 'range',
  meaning:
    "A fault's migration window stays inside its svm_range and inside mapped memory (it may span adjacent VMAs, as the range may).",
  transition: true,
  events: ['svm-window'],
  check(s, events) {
    for (const e of events) {
      if (e.e !== 'svm-window') continue;
      const inRange = e.start >= e.rangeStart && e.last <= e.rangeLast;
      let inVma = true;
      for (let x = e.start; x <= e.last; x++) if (!vmaAt(s, e.pid, x)) inVma = false;
      if (inRange && inVma) continue;
      return {
        expected: `window inside range [${e.rangeStart}, ${e.rangeLast}] and inside VMAs`,
        actual: `window [${e.start}, ${e.last}]${inVma ? '' : ' reaches unmapped memory'}`,
        message: `migration window [${e.start}, ${e.last}] is not clipped to its svm_range [${e.rangeStart}, ${e.rangeLast}]`,
      };
    }
    return null;
  },
};
