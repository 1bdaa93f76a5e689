import type { Invariant } from './invariant.js';
import { pageName, va } from './where.js';

export const valueCoherence: Invariant = {
  id: 'value-coherence',
  cls: 'coherence',
  meaning: 'Every CPU or GPU read returns the last value written to that address, by anyone.',
  transition: true,
  events: ['cpu-read', 'gpu-read'],
  check(s, events) {
    for (const e of events) {
      if ((e.e !== 'cpu-read' && e.e !== 'gpu-read') || e.want < 0 || e.v === e.want) continue;
      const who = e.e === 'cpu-read' ? 'CPU' : `gpu${e.gpu}`;
      const through = e.e === 'gpu-read' ? ` through ${pageName(s, e.page)}` : '';
      return {
        expected: `${who} read of ${va(e.pid, e.vpn)} returns ${e.want}`,
        actual: `it returned ${e.v}${through}`,
        message: `${who} read a stale value at ${va(e.pid, e.vpn)}`,
      };
    }
    return null;
  },
};
