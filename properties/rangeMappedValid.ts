import type { FindingOf, Invariant } from './invariant.js';

export type RangeMappedValidFinding = FindingOf<
  'no-pte',
  { gpu: number; pid: number; vpn: number; start: number; last: number }
>;

export const rangeMappedValid: Invariant = {
  id: 'range-mapped-valid',
  cls: 'range',
  meaning:
    'A page the driver records as mapped on a GPU has a valid PTE there unless an invalidation came since (its mapped state is truthful).',
  reads: ['drv', 'gpu', 'mm'],
  check(s, _events, drv) {
    if (!drv.ranges) return null;
    for (const p of s.procs) {
      if (!p.alive) continue;
      for (const r of drv.ranges(s, p.pid)) {
        for (let v = r.start; v <= r.last; v++) {
          const m = r.mapped[v - r.start] ?? 0;
          for (let g = 0; g < s.cfg.gpus.length; g++) {
            if (!((m >> g) & 1) || s.gpuPt[g]?.[p.pid]?.[v]) continue;
            return {
              code: 'no-pte',
              at: { gpu: g, pid: p.pid, vpn: v },
              data: { gpu: g, pid: p.pid, vpn: v, start: r.start, last: r.last },
            } satisfies RangeMappedValidFinding;
          }
        }
      }
    }
    return null;
  },
};
