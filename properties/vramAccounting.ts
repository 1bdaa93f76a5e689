import type { FindingOf, Invariant } from './invariant.js';

/**
 * outside: a BO reserves a page outside its GPU's VRAM; shared: two BOs reserve one page;
 * over-committed: more pages reserved than the VRAM has; stray: a device page in use outside its BO.
 */
export type VramAccountingFinding =
  | FindingOf<'outside', { bo: number; gpu: number; page: number }>
  | FindingOf<'shared', { gpu: number; idx: number; bo: number; other: number }>
  | FindingOf<'over-committed', { gpu: number; cap: number; used: number }>
  | FindingOf<'stray', { gpu: number; idx: number; bo: number; owner: number }>;
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
              code: 'outside',
              at: { bo: b.id, gpu: g, page: p },
              data: { bo: b.id, gpu: g, page: p },
            } satisfies VramAccountingFinding;
          const o = owner[p - base] ?? -1;
          if (o >= 0)
            return {
              code: 'shared',
              at: { bo: b.id, gpu: g, page: p },
              data: { gpu: g, idx: p - base, bo: b.id, other: o },
            } satisfies VramAccountingFinding;
          owner[p - base] = b.id;
        }
      }
      if (used > cap)
        return {
          code: 'over-committed',
          at: { gpu: g },
          data: { gpu: g, cap, used },
        } satisfies VramAccountingFinding;
      for (let p = base; p < base + cap; p++) {
        const pg = s.phys[p];
        if (!pg || pg.free || pg.zdd < 0) continue;
        // A page of an evicted BO may linger while a transient reference (no mapping) is dropped.
        const lingering = pg.map === 0 && bos.some((b) => b.id === pg.zdd && !b.vram);
        const o = owner[p - base] ?? -1;
        if (o !== pg.zdd && !lingering)
          return {
            code: 'stray',
            at: { gpu: g, page: p, bo: pg.zdd },
            data: { gpu: g, idx: p - base, bo: pg.zdd, owner: o },
          } satisfies VramAccountingFinding;
      }
    }
    return null;
  },
};
