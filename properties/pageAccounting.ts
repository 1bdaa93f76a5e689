import { pteMapped } from '../model/mem.js';
import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';
import { scratchBuffer } from './scratchBuffer.js';

/**
 * mapcount: it differs from the ptes that map the page; free-ref: free but referenced, or
 * allocated with no reference; ref-below-map: fewer references than mappings.
 */
export type PageAccountingFinding = FindingOf<
  'mapcount' | 'free-ref' | 'ref-below-map',
  { page: PageRef; map: number; ptes: number; ref: number; free: boolean }
>;

const scratch = scratchBuffer();

export const pageAccounting: Invariant = {
  id: 'page-accounting',
  cls: 'memory-safety',
  meaning:
    "A page's mapcount equals the CPU page-table entries that map it, its refcount is at least its mapcount, and it is free exactly when its refcount is zero.",
  reads: ['pages', 'mm'],
  check(s) {
    const maps = scratch(s.phys.length, 0);
    for (const p of s.procs)
      for (const e of p.pt) if (e && pteMapped(s, e)) maps[e.page] = (maps[e.page] ?? 0) + 1;
    for (let i = 1; i < s.phys.length; i++) {
      const pg = s.phys[i];
      if (!pg) continue;
      const bad =
        pg.map !== (maps[i] ?? 0)
          ? 'mapcount'
          : pg.free !== (pg.ref === 0)
            ? 'free-ref'
            : pg.ref < pg.map
              ? 'ref-below-map'
              : null;
      if (bad)
        return {
          code: bad,
          at: { page: i },
          data: { page: pageRef(s, i), map: pg.map, ptes: maps[i] ?? 0, ref: pg.ref, free: pg.free },
        } satisfies PageAccountingFinding;
    }
    return null;
  },
};
