// Large folios in migrate_vma (mm/migrate_device.c of the device-private THP era, kernelRules.ts
// device_private_thp 'compound'; read in a stored copy of the softleaf era, index id 2009249849):
// - migrate_vma_collect_huge_pmd(): a huge pmd (a THP with MIGRATE_VMA_SELECT_SYSTEM, a
//   device-private pmd entry of the owner with MIGRATE_VMA_SELECT_DEVICE_PRIVATE) over a whole
//   PMD-aligned range with MIGRATE_VMA_SELECT_COMPOUND becomes one MIGRATE_PFN_COMPOUND entry
//   under a pmd migration entry, the rest of the pmd's entries 0; otherwise the folio is split
//   (split_folio()) and collected page by page. migrate_vma_collect_hole() collects a PMD-sized
//   hole (pmd_none) as one compound entry the same way.
// - migrate_vma_split_folio(): a pte-mapped large folio met page by page is locked (folio_lock(),
//   sleeping) unless it is the fault's, split, and the fault page's lock moves to its new folio; a
//   folio that cannot split ends the collection ([addr, end) skipped).
// split_folio() fails on a folio somebody else holds a reference to or has pinned
// (can_split_folio()): the model checks each page's references against its mappings.
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { getPage, pmdNone, setMigrationEntry, vmaAt } from '../mem.js';
import type { Env } from '../proc.js';
import type { Migration, MigratePfn, State } from '../types.js';
import { pmdEnd, pmdPages } from './pmd.js';
import { folioHead, hugeKind, splitFolio } from './thp.js';

/** The pages a collected entry stands for: the folio of a compound entry, else the page itself. */
export function entryPages(s: State, src: MigratePfn): number[] {
  if (src.page < 0) return [];
  if (!src.compound) return [src.page];
  return Array.from({ length: pmdPages(s.cfg) }, (_x, k) => src.page + k);
}

/**
 * can_split_folio(): no page of the folio is pinned or held beyond its mappings, but for the one
 * reference the faulting path holds on its page (`faultPage`, -1 for none).
 */
export function canSplitFolio(s: State, head: number, faultPage: number): boolean {
  for (let k = head; k < head + pmdPages(s.cfg); k++) {
    const pg = s.phys[k];
    if (!pg || pg.head !== head) continue;
    if (pg.pin > 0 || pg.ref - pg.map > (k === faultPage ? 1 : 0)) return false;
  }
  return true;
}

export interface HugeCollectArgs {
  pid: number;
  start: number;
  n: number;
  owner: number;
  sel: { sys: boolean; priv: boolean; coh: boolean; compound?: boolean };
  faultPage: number;
  /** Whether the folio's lock is the caller's (the fault's, kernelRules.ts migrate_vma_fault_page). */
  callerLocked: (page: number) => boolean;
}

/**
 * migrate_vma_collect_pmd()'s huge-pmd and hole cases for the pmd segment starting at index i:
 * 'pages' when the segment is left to the page-by-page walk (after a split, or a pmd with ptes),
 * else the number of entries the segment took.
 */
export function collectHugePmd(
  env: Env,
  a: HugeCollectArgs,
  m: Migration,
  i: number,
  busy: number,
): number | 'pages' {
  const s = env.s;
  const p = s.procs[a.pid];
  const vpn = a.start + i;
  const v = vmaAt(s, a.pid, vpn);
  const P = pmdPages(s.cfg);
  const end = Math.min(a.start + a.n, pmdEnd(s.cfg, vpn));
  const len = end - vpn;
  const whole = !!a.sel.compound && vpn % P === 0 && len === P;
  const skip = (): number => len;
  if (!p || !v) return 'pages';
  const kind = hugeKind(s, p, vpn);
  if (kind === null) {
    // migrate_vma_collect_hole(): only a pmd with no page table is a PMD-sized hole.
    const empty = pmdNone(s.cfg, p, vpn) && p.pt.slice(vpn, end).every((e) => e === null);
    if (!whole || !empty || v.shm >= 0) return 'pages';
    m.src[i] = { page: -1, migrate: true, w: v.prot === 'rw', hole: true, compound: true };
    return skip();
  }
  const pte = p.pt[vpn] ?? null;
  // A pmd migration entry (another migration holds the folio): the kernel waits on it and walks
  // again (-EAGAIN); the model leaves the segment uncollected, as it does a pte migration entry.
  if (kind === 'm' || !pte || pte.t === 'm' || pte.t === 'x') return skip();
  const head = folioHead(s, pte.page);
  const pg = s.phys[head];
  if (!pg) return skip();
  if (kind === 'p' && !a.sel.sys) return skip();
  if (kind === 'd' && (!a.sel.priv || pg.owner !== a.owner)) return skip();
  // folio_get() + folio_trylock() (not the fault's folio, which comes locked): contended, skipped.
  const own = a.callerLocked(head);
  if (!own) {
    if ((busy >> i) & 1 || isLocked(s, pageLock(head))) return skip();
    tryLock(env, pageLock(head), 'w');
  }
  if (whole) {
    // set_pmd_migration_entry(): the pmd becomes a migration entry (still huge), the mapping's
    // references go; collect's reference stays on every page until finalize.
    for (let k = 0; k < P; k++) {
      const e = p.pt[vpn + k] ?? null;
      getPage(s, head + k);
      if (e && (e.t === 'p' || e.t === 'd')) setMigrationEntry(s, a.pid, vpn + k, e);
    }
    m.src[i] = { page: head, migrate: true, w: pte.w, hole: false, compound: true };
    return skip();
  }
  // fallback: split_folio(); a folio that cannot split leaves the segment uncollected.
  const ok = canSplitFolio(s, head, own ? a.faultPage : -1);
  if (ok) splitFolio(s, head);
  if (!own) unlock(env, pageLock(head));
  return ok ? 'pages' : skip();
}

/**
 * migrate_vma_split_folio() of the pte-mapped large folio holding `page`: 'split', 'failed' (the
 * rest of the range is not collected), or 'block' (folio_lock() sleeps: the walk resumes here).
 */
export function splitPteMapped(
  env: Env,
  page: number,
  faultPage: number,
  callerLocked: (page: number) => boolean,
): 'split' | 'failed' | 'block' {
  const s = env.s;
  const head = folioHead(s, page);
  const own = callerLocked(head);
  if (!own && !tryLock(env, pageLock(head), 'w')) return 'block';
  if (!canSplitFolio(s, head, own ? faultPage : -1)) {
    if (!own) unlock(env, pageLock(head));
    return 'failed';
  }
  splitFolio(s, head);
  // "Ensure the lock is held on the correct folio after the split": the fault page's own folio.
  unlock(env, pageLock(head));
  if (own && faultPage >= 0) tryLock(env, pageLock(faultPage), 'w');
  return 'split';
}
