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
// A device-private THP (7.0, kernelRules.ts device_private_thp) is evicted whole: its folio is one
// entry (migrate_device_unmap() marks a folio of more than one page MIGRATE_PFN_COMPOUND; its huge
// pmd becomes a pmd migration entry under one MMU_NOTIFY_CLEAR), test_hmm's
// dmirror_device_evict_chunk() copies it into folio_alloc() of the same order (no fallback: "TODO
// Support splitting here"; when no system folio is free the model refuses, ThpNotModelled), and
// remove_migration_ptes() maps the new folio where the old one was mapped: a huge pmd stays huge
// (remove_migration_pmd()). A device folio the model has already freed pages of (it frees a
// folio's pages one by one) is split first and its pages evicted one by one.
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
import { allocSysFolio, folioPages, hugeMapped, splitFolio, ThpNotModelled } from './thp.js';
import { pmdPages, pmdStart } from './pmd.js';

/** What the eviction left behind: pages that are still allocated (could not be migrated). */
export interface EvictResult {
  left: number[];
}

interface L {
  gpu: number;
  src: number[];
  i: number;
  /** The mappings left to unmap: [pid, first vpn, pages] (a huge pmd is one, of pmdPages pages). */
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
    // get_page_unless_zero() / folio_get_nontail_page() and trylock on every pfn of the device; a
    // tail page is its folio's (the head's entry).
    for (let page = base; page < base + n; page++) {
      const pg = s.phys[page];
      if (!pg || pg.free || (pg.head !== undefined && pg.head !== page)) continue;
      if (pg.head === page && !wholeFolio(s, page)) splitFolio(s, page);
      if (isLocked(s, pageLock(page))) continue;
      for (const k of folioPages(s, page)) getPage(s, k);
      tryLock(env, pageLock(page), 'w');
      l.src.push(page);
    }
    l.i = 0;
    l.rmap = {};
    const wanted = new Set(l.src.flatMap((x) => folioPages(s, x)));
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
  page(env, l) {
    const s = env.s;
    const page = l.src[l.i];
    if (page === undefined) return goto('copy');
    // try_to_migrate() of the folio: a pte each, a huge pmd once (set_pmd_migration_entry()).
    const maps: number[][] = [];
    for (const k of folioPages(s, page))
      for (const [pid, vpn] of l.rmap[k] ?? []) {
        const huge = hugeMapped(s.cfg, s.procs[pid ?? -1], vpn ?? 0);
        const at = huge ? pmdStart(s.cfg, vpn ?? 0) : (vpn ?? 0);
        if (!maps.some((m) => m[0] === pid && m[1] === at))
          maps.push([pid ?? 0, at, huge ? pmdPages(s.cfg) : 1]);
      }
    l.maps = maps;
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
      invalidateArgs(m[0] ?? 0, m[1] ?? 0, (m[1] ?? 0) + (m[2] ?? 1), 'clear'),
      'unmapped',
    );
  },
  unmapped(env, l) {
    const s = env.s;
    const [pid, at, len] = l.maps.shift() as [number, number, number];
    const head = l.src[l.i] ?? -1;
    const p = s.procs[pid];
    for (let vpn = at; vpn < at + len; vpn++) {
      const pte = p?.pt[vpn] ?? null;
      if (!p || !pte || (pte.page !== head && s.phys[pte.page]?.head !== head)) continue;
      if (pte.t === 'p' || pte.t === 'd') {
        setMigrationEntry(s, pid, vpn, pte);
      } else if (pte.t === 'x') {
        // 6.15 try_to_migrate_one(), non-present branch: pte_clear(), and the migration entry is
        // read-only (is_writable_device_private_entry() is false for a device-exclusive entry).
        setMigrationEntry(s, pid, vpn, { t: 'p', page: pte.page, w: false });
      }
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
      const pages = folioPages(s, page);
      const movable = pages.every((k) => s.phys[k]?.ref === 1 && s.phys[k]?.map === 0);
      const dst = !movable ? -1 : pages.length > 1 ? allocSysFolio(s) : allocSysPage(s);
      if (movable && pages.length > 1 && dst < 0)
        throw new ThpNotModelled(
          `THP: evicting device folio ${page} with no free system folio (folio_alloc() of its order has no fallback in test_hmm)`,
        );
      pages.forEach((k, i) => {
        const d = dst >= 0 ? s.phys[dst + i] : undefined;
        if (d) mut(PAGES, d).data = s.phys[k]?.data ?? 0;
        restoreEntries(s, k, dst >= 0 ? dst + i : k, where);
        if (dst < 0 && kernelRule(s.cfg, 'device_exclusive_migration') === 'left-as-is')
          exclusiveToPresent(s, k);
      });
      // __migrate_device_finalize(): folio_add_lru() of the system destination.
      if (dst >= 0) lruBatchAdd(env, dst);
      unlock(env, pageLock(page));
      pages.forEach((k, i) => {
        putPage(s, k);
        if (dst >= 0) putPage(s, dst + i);
      });
      for (const k of pages) if (!s.phys[k]?.free) left.push(k);
    }
    return ret({ left } satisfies EvictResult);
  },
});

/** Whether every page of the folio headed by `head` is still allocated and in it. */
function wholeFolio(s: State, head: number): boolean {
  return folioPages(s, head).every((k) => s.phys[k]?.head === head && !s.phys[k]?.free);
}
