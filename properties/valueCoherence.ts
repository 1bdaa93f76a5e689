import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

/** cpu: a CPU read; gpu: a GPU read, through `page`. */
export type ValueCoherenceFinding =
  | FindingOf<'cpu', { pid: number; vpn: number; want: number; got: number }>
  | FindingOf<'gpu', { gpu: number; pid: number; vpn: number; want: number; got: number; page: PageRef }>;

export const valueCoherence: Invariant = {
  id: 'value-coherence',
  cls: 'coherence',
  meaning: 'Every CPU or GPU read returns the last value written to that address, by anyone.',
  transition: true,
  events: ['cpu-read', 'gpu-read'],
  check(s, events) {
    for (const e of events) {
      if ((e.e !== 'cpu-read' && e.e !== 'gpu-read') || e.want < 0 || e.v === e.want) continue;
      const read = { pid: e.pid, vpn: e.vpn, want: e.want, got: e.v };
      if (e.e === 'cpu-read')
        return { code: 'cpu', at: { pid: e.pid, vpn: e.vpn }, data: read } satisfies ValueCoherenceFinding;
      return {
        code: 'gpu',
        at: { gpu: e.gpu, pid: e.pid, vpn: e.vpn, page: e.page },
        data: { ...read, gpu: e.gpu, page: pageRef(s, e.page) },
      } satisfies ValueCoherenceFinding;
    }
    return null;
  },
};
