import type { FindingOf, Invariant } from './invariant.js';
import { scratchBuffer } from './scratchBuffer.js';
import { inUnmapping } from './inUnmapping.js';
import { applyAttrs, defaultAttrs, sameAttrs, type Attr } from '../model/uapi.js';
import type { SvmAttrs } from '../model/types.js';

/** [start, last] of an svm_range. */
type Span = [number, number];

/**
 * empty: a range with no pages; overlap: two live ranges share a page; attrs: the page's range (or
 * its absence) disagrees with the attributes set_attr registered (null: unregistered).
 */
export type RangeStructureFinding =
  | FindingOf<'empty', { start: number; last: number }>
  | FindingOf<'overlap', { pid: number; vpn: number; first: Span; second: Span }>
  | FindingOf<
      'attrs',
      { pid: number; vpn: number; want: SvmAttrs | null; range: Span | null; have: SvmAttrs | null }
    >;

const copy = (a: SvmAttrs | null): SvmAttrs | null => (a ? { ...a } : null);

const ownerScratch = scratchBuffer();

export const rangeStructure: Invariant = {
  id: 'range-structure',
  cls: 'range',
  meaning:
    "The driver's live svm_ranges never overlap and cover exactly the pages set_attr (or a GPU fault) registered, each page with the attributes the uAPI says it has.",
  reads: ['drv', 'mm', 'uapi'],
  check(s, _events, drv) {
    if (!drv.ranges) return null;
    const n = s.cfg.vaPages;
    for (const p of s.procs) {
      if (!p.alive) continue;
      const live = drv.ranges(s, p.pid);
      // Which live range holds each page (-1: none).
      const owner = ownerScratch(n, -1);
      for (let i = 0; i < live.length; i++) {
        const r = live[i];
        if (!r || r.pending === 'unmap') continue;
        if (r.start > r.last)
          return {
            code: 'empty',
            at: { pid: p.pid },
            data: { start: r.start, last: r.last },
          } satisfies RangeStructureFinding;
        for (let v = r.start; v <= r.last; v++) {
          const o = owner[v] ?? -1;
          if (o >= 0) {
            const q = live[o];
            return {
              code: 'overlap',
              at: { pid: p.pid, vpn: v },
              data: { pid: p.pid, vpn: v, first: [q?.start ?? -1, q?.last ?? -1], second: [r.start, r.last] },
            } satisfies RangeStructureFinding;
          }
          owner[v] = i;
        }
      }
      const want = s.uapi.attrs[p.pid];
      for (let v = 0; v < n; v++) {
        const w = want?.[v] ?? null;
        const o = owner[v] ?? -1;
        const r = o >= 0 ? live[o] : undefined;
        const have = r ? r.attrs : null;
        if (w ? !!have && sameAttrs(have, w) : !have) continue;
        if (inUnmapping(s, p.pid, v)) continue;
        let ok = false;
        // A set_attr in progress may already have applied its attributes (or created the range).
        for (const f of s.uapi.inflight)
          if (!ok && f.pid === p.pid && v >= f.start && v < f.end && have)
            ok = sameAttrs(have, applyAttrs(w ?? defaultAttrs(s), f.attrs as Attr[]));
        if (!ok)
          return {
            code: 'attrs',
            at: { pid: p.pid, vpn: v },
            data: {
              pid: p.pid,
              vpn: v,
              want: copy(w),
              range: r ? [r.start, r.last] : null,
              have: copy(have),
            },
          } satisfies RangeStructureFinding;
      }
    }
    return null;
  },
};
