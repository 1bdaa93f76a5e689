import { pteMapped } from '../model/mem.js';
import type { Invariant } from './invariant.js';
import { scratchBuffer } from './scratchBuffer.js';
import { pageName } from './where.js';

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
          ? `mapcount ${pg.map} but ${maps[i] ?? 0} page-table entries map it`
          : pg.free !== (pg.ref === 0)
            ? `${pg.free ? 'free' : 'allocated'} with refcount ${pg.ref}`
            : pg.ref < pg.map
              ? `refcount ${pg.ref} below mapcount ${pg.map}`
              : null;
      if (bad)
        return {
          expected: `${pageName(s, i)}: consistent refcount and mapcount`,
          actual: bad,
          message: `struct page accounting broken for ${pageName(s, i)}: ${bad}`,
        };
    }
    return null;
  },
};
