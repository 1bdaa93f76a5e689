import { vmaAt } from '../model/mem.js';
import type { FindingOf, Invariant } from './invariant.js';

/** range: the window leaves its svm_range; vma: it is inside it but reaches unmapped memory. */
export type WindowInRangeFinding = FindingOf<
  'range' | 'vma',
  { pid: number; start: number; last: number; rangeStart: number; rangeLast: number; inVma: boolean }
>;

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
        code: inRange ? 'vma' : 'range',
        at: { pid: e.pid, vpn: e.start },
        data: {
          pid: e.pid,
          start: e.start,
          last: e.last,
          rangeStart: e.rangeStart,
          rangeLast: e.rangeLast,
          inVma,
        },
      } satisfies WindowInRangeFinding;
    }
    return null;
  },
};
