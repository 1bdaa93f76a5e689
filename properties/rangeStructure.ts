import type { Invariant } from './invariant.js';
import { scratchBuffer } from './scratchBuffer.js';
import { inUnmapping, va } from './where.js';
import { applyAttrs, defaultAttrs, sameAttrs, type Attr } from '../model/uapi.js';
import type { SvmAttrs } from '../model/types.js';

const show = (a: SvmAttrs | null | undefined): string => (a ? JSON.stringify(a) : 'unregistered');

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
            expected: 'start <= last',
            actual: `range [${r.start}, ${r.last}]`,
            message: 'an svm_range with no pages',
          };
        for (let v = r.start; v <= r.last; v++) {
          const o = owner[v] ?? -1;
          if (o >= 0) {
            const q = live[o];
            return {
              expected: `${va(p.pid, v)} in one svm_range`,
              actual: `in [${q?.start}, ${q?.last}] and [${r.start}, ${r.last}]`,
              message: `svm_ranges overlap at ${va(p.pid, v)}`,
            };
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
            expected: `${va(p.pid, v)}: ${show(w)}`,
            actual: r ? `svm_range [${r.start}, ${r.last}] with ${show(have)}` : 'no svm_range',
            message: `svm_range list disagrees with what set_attr registered at ${va(p.pid, v)}`,
          };
      }
    }
    return null;
  },
};
