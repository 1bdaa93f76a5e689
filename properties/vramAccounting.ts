import type { Invariant } from './invariant.js';
import { scratchBuffer } from './scratchBuffer.js';

const ownerScratch = scratchBuffer();

export const vramAccounting: Invariant = {
  id: 'vram-accounting',
  cls: 'refcount',
  meaning:
    "Each GPU's VRAM is reserved by at most one BO per page, never beyond its capacity, and every device page in use lies inside its own BO.",
  reads: ['drv', 'pages'],
  check(s, _events, drv) {
    const bos = drv.bos?.(s);
    if (!bos) return null;
    for (let g = 0; g < s.cfg.gpus.length; g++) {
      const base = s.vramBase[g] ?? 0;
      const cap = s.cfg.gpus[g]?.vram ?? 0;
      // The BO reserving each VRAM page (-1: none).
      const owner = ownerScratch(cap, -1);
      let used = 0;
      for (const b of bos) {
        if (b.gpu !== g || !b.vram) continue;
        used += b.slots.length;
        for (const p of b.slots) {
          if (p < base || p >= base + cap)
            return {
              expected: `BO ${b.id} inside gpu${g}'s VRAM`,
              actual: `it reserves page ${p}`,
              message: `BO ${b.id} reserves memory outside gpu${g}'s VRAM`,
            };
          const o = owner[p - base] ?? -1;
          if (o >= 0)
            return {
              expected: `VRAM page ${p - base} of gpu${g} in one BO`,
              actual: `in BO ${o} and BO ${b.id}`,
              message: `two BOs reserve the same VRAM of gpu${g}`,
            };
          owner[p - base] = b.id;
        }
      }
      if (used > cap)
        return {
          expected: `at most ${cap} VRAM pages reserved on gpu${g}`,
          actual: `${used}`,
          message: `gpu${g} VRAM over-committed`,
        };
      for (let p = base; p < base + cap; p++) {
        const pg = s.phys[p];
        if (!pg || pg.free || pg.zdd < 0) continue;
        // A page of an evicted BO may linger while a transient reference (no mapping) is dropped.
        const lingering = pg.map === 0 && bos.some((b) => b.id === pg.zdd && !b.vram);
        const o = owner[p - base] ?? -1;
        if (o !== pg.zdd && !lingering)
          return {
            expected: `device page ${p - base} of gpu${g} inside its BO ${pg.zdd}`,
            actual: o >= 0 ? `reserved by BO ${o}` : 'reserved by no live BO',
            message: `gpu${g} VRAM page ${p - base} is in use outside the BO it was allocated from`,
          };
      }
    }
    return null;
  },
};
