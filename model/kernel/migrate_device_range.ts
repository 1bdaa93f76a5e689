// migrate_device_range() + migrate_device_pages() + migrate_device_finalize() (mm/migrate_device.c,
// Linux 6.1) as a driver uses them to empty its device memory (test_hmm's
// dmirror_device_evict_chunk): every allocated page of the GPU is locked, each of its CPU mappings in
// any process becomes a migration entry under an MMU_NOTIFY_CLEAR invalidation (try_to_migrate), the
// data is copied to a new system page, and the entries are restored to it. A page with a reference
// nobody accounts for (a device-exclusive entry holds one) fails folio_migrate_mapping() and stays;
// then remove_migration_ptes() restores its entries, and in 6.1 page_vma_mapped_walk() (check_pte
// with PVMW_MIGRATION) takes device-exclusive entries for migration entries too: each becomes a
// read-only, clean present pte, and the reference the entry held is never dropped (a leak).
// From 6.15 (kernelRules.ts device_exclusive_migration) try_to_migrate() replaces a device-exclusive
// entry like a pte, so the page migrates and nothing leaks.
import { call, defineProc, goto, ret } from '../proc.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { allocSysPage, getPage, putPage, setMigrationEntry } from '../mem.js';
import { lruBatchAdd } from './lruBatch.js';
import { invalidateEnd } from '../notifier.js';
import { invalidateArgs } from './invalidate.js';
import { migrationEntries, restoreEntries } from './migrate.js';
import type { State } from '../types.js';
import { MM, PAGES, mut } from '../touched.js';
import { kernelRule } from '../kernelRules.js';
import { splitFolio } from './thp.js';

/** What the eviction left behind: pages that are still allocated (could not be migrated). */
export interface EvictResult {
  left: number[];
}

interface L {
  gpu: number;
  src: number[];
  i: number;
  maps: number[][];
  /** Present and device-private mappings of the source pages, taken once: page -> [pid, vpn][]. */
  rmap: Record<string, number[][]>;
}

/** remove_migration_pte() on a device-exclusive entry: present, read-only, clean, one more reference. */
function exclusiveToPresent(s: State, page: number): void {
  const pg = s.phys[page];
  if (!pg) return;
  for (const p of s.procs)
    p.pt.forEach((e, vpn) => {
      if (!e || e.t !== 'x' || e.page !== page) return;
      mut(MM, p.pt)[vpn] = { t: 'p', page, w: false };
      const w = mut(PAGES, pg);
      w.map++;
      w.ref++;
      w.ax = true;
    });
}

export const migrateDeviceRange = defineProc<L>('migrate_device_range', {
  start(env, l) {
    const s = env.s;
    const base = s.vramBase[l.gpu] ?? 0;
    const n = s.cfg.gpus[l.gpu]?.vram ?? 0;
    l.src = [];
    // get_page_unless_zero() and trylock_page() on every pfn of the device.
    for (let page = base; page < base + n; page++) {
      const pg = s.phys[page];
      // A device-private THP (7.0): the kernel evicts it as one MIGRATE_PFN_COMPOUND entry into a
      // system folio of its order; the model splits it first and evicts its pages one by one (the
      // data ends in small pages where the kernel leaves a THP). Approximation, not the kernel's path.
      if (pg && !pg.free && pg.head === page) splitFolio(s, page);
      if (!pg || pg.free || isLocked(s, pageLock(page))) continue;
      getPage(s, page);
      tryLock(env, pageLock(page), 'w');
      l.src.push(page);
    }
    l.i = 0;
    l.rmap = {};
    const wanted = new Set(l.src);
    // From 6.15 the rmap walk finds device-exclusive entries too (kernelRules.ts device_exclusive_migration).
    const exclusiveMigrates = kernelRule(s.cfg, 'device_exclusive_migration') === 'migrated';
    for (const p of s.procs) {
      if (!p.alive) continue;
      p.pt.forEach((e, vpn) => {
        if (e && (e.t === 'p' || e.t === 'd' || (e.t === 'x' && exclusiveMigrates)) && wanted.has(e.page))
          (l.rmap[e.page] ??= []).push([p.pid, vpn]);
      });
    }
    return goto('page');
  },
  page(_env, l) {
    const page = l.src[l.i];
    if (page === undefined) return goto('copy');
    l.maps = [...(l.rmap[page] ?? [])];
    return goto('unmap');
  },
  unmap(_env, l) {
    // try_to_migrate(): one MMU_NOTIFY_CLEAR per mapping of the page.
    const m = l.maps[0];
    if (!m) {
      l.i++;
      return goto('page');
    }
    return call(
      'mmu_invalidate_start',
      invalidateArgs(m[0] ?? 0, m[1] ?? 0, (m[1] ?? 0) + 1, 'clear'),
      'unmapped',
    );
  },
  unmapped(env, l) {
    const s = env.s;
    const [pid, vpn] = l.maps.shift() as [number, number];
    const page = l.src[l.i] ?? -1;
    const pte = s.procs[pid]?.pt[vpn] ?? null;
    const p = s.procs[pid];
    if (p && pte && (pte.t === 'p' || pte.t === 'd') && pte.page === page) {
      setMigrationEntry(s, pid, vpn, pte);
    } else if (p && pte && pte.t === 'x' && pte.page === page) {
      // 6.15 try_to_migrate_one(), non-present branch: pte_clear(), and the migration entry is
      // read-only (is_writable_device_private_entry() is false for a device-exclusive entry).
      setMigrationEntry(s, pid, vpn, { t: 'p', page, w: false });
    }
    invalidateEnd(env, pid);
    return goto('unmap');
  },
  copy(env, l) {
    // dmirror_device_evict_chunk() copies; migrate_device_pages() needs the page's only reference
    // to be ours (folio_migrate_mapping); migrate_device_finalize() restores the entries.
    const s = env.s;
    const left: number[] = [];
    const where = migrationEntries(s);
    for (const page of l.src) {
      const pg = s.phys[page];
      const movable = !!pg && pg.ref === 1 && pg.map === 0;
      const dst = movable ? allocSysPage(s) : -1;
      if (dst >= 0 && pg) {
        const d = s.phys[dst];
        if (d) mut(PAGES, d).data = pg.data;
      }
      restoreEntries(s, page, dst >= 0 ? dst : page, where);
      if (dst < 0 && kernelRule(s.cfg, 'device_exclusive_migration') === 'left-as-is')
        exclusiveToPresent(s, page);
      // __migrate_device_finalize(): folio_add_lru() of the system destination.
      if (dst >= 0) lruBatchAdd(env, dst);
      unlock(env, pageLock(page));
      putPage(s, page);
      if (dst >= 0) putPage(s, dst);
      if (!s.phys[page]?.free) left.push(page);
    }
    return ret({ left } satisfies EvictResult);
  },
});
