// migrate_vma_setup / migrate_vma_pages / migrate_vma_finalize (mm/migrate_device.c). Partial
// migration is the normal case (seed 004_78f2c797c44aa03c.txt): pages that are busy (page lock
// contended: the program's fault stream says which), pinned, of another owner or not selected
// are not collected; migrate_vma_pages can still fail collected pages (shmem pages to device
// memory, an unexpected reference, an empty pte that was faulted in meanwhile). Large folios
// (migrateCompound.ts) where the release migrates them: collected whole with
// MIGRATE_VMA_SELECT_COMPOUND, split otherwise, and split in migrate_vma_pages when the driver
// gives small destination pages; older releases refuse them (ThpNotModelled).
import { match } from 'ts-pattern';
import { block, call, count, defineProc, goto, ret, type Env } from '../proc.js';
import { COPIED_STAT } from '../costs/costs.js';
import { kernelRule } from '../kernelRules.js';
import {
  devicePrivateThp,
  folioHead,
  hugeBlockInVma,
  hugeKind,
  markHuge,
  refuseFolio,
  splitFolio,
} from './thp.js';
import { collectHugePmd, entryPages, splitPteMapped } from './migrateCompound.js';
import { pmdPages, pmdStart } from './pmd.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { inLruBatch, lruAddDrain, lruBatchAdd } from './lruBatch.js';
import {
  getPage,
  isDevicePage,
  isDevicePrivate,
  newAnonPage,
  pmdNone,
  putPage,
  setMigrationEntry,
  setPte,
  vmaAt,
  ZERO_PAGE,
} from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import type { Migration, MigratePfn, Pte, State } from '../types.js';
import { invalidateArgs } from './invalidate.js';
import { filled } from '../filled.js';
import { MM, PAGES, mut } from '../touched.js';

export interface Select {
  sys: boolean;
  priv: boolean;
  coh: boolean;
  /** MIGRATE_VMA_SELECT_COMPOUND (only where kernelRules.ts device_private_thp is 'compound'). */
  compound?: boolean;
}

export interface SetupResult {
  err: string;
  mig: number;
  cpages: number;
}

export function migrationById(s: State, id: number): Migration {
  const m = s.migrations.find((x) => x.id === id);
  if (!m) throw new Error(`no migration ${id}`);
  return m;
}

function nextFault(env: Env): number {
  const v = env.faults[env.s.faultIdx] ?? 0;
  env.s.faultIdx++;
  // The whole entry counts as looked at: it is kept in Migration.fault and read again by
  // migrate_vma_pages in a later step, so the explorer must branch on every bit of it.
  env.faultReads?.push(-1);
  return v;
}

interface SetupL {
  /** migrate_device_range: collect these device pages wherever they are mapped, instead of a VA range. */
  pages?: number[];
  pid: number;
  start: number;
  n: number;
  owner: number;
  sel: Select;
  faultPage: number;
  mig: number;
  opid: number;
  ovpn: number;
  /** The other mapping try_to_migrate() converts: [ovpn, oend) (a whole huge pmd, or one pte). */
  oend: number;
  /** Where the collect walk is: it resumes there after sleeping on a folio lock. */
  ci?: number;
  /** lru_add_drain_all() was called (allow_drain is false); absent until then. */
  drained?: boolean;
}

/** A still-present mapping of a collected page, in another process (or elsewhere in this one). */
function otherMapping(s: State, id: number): [number, number] | null {
  const m = migrationById(s, id);
  const wanted = new Set(m.src.filter((x) => x.migrate && !x.hole).flatMap((x) => entryPages(s, x)));
  if (!wanted.size) return null;
  // The first mapping of each collected page, in process and address order (one walk).
  const first = new Map<number, [number, number]>();
  for (const p of s.procs) {
    if (!p.alive) continue;
    p.pt.forEach((e, vpn) => {
      if (e && e.t !== 'm' && e.t !== 'x' && wanted.has(e.page) && !first.has(e.page))
        first.set(e.page, [p.pid, vpn]);
    });
  }
  for (const src of m.src) {
    if (!src.migrate || src.hole) continue;
    const at = first.get(src.page);
    if (at) return at;
  }
  return null;
}

/** The page a mapping found by otherMapping() maps. */
function pageAt(s: State, [pid, vpn]: [number, number]): number {
  const e = s.procs[pid]?.pt[vpn] ?? null;
  return e ? e.page : -1;
}

/**
 * Whether `page` is the migration's fault page and its lock is do_swap_page()'s, not the
 * migration's (kernelRules.ts migrate_vma_fault_page): collect does not trylock it, restore and
 * finalize do not unlock it.
 */
function callerLocked(s: State, m: Migration, page: number): boolean {
  if (page < 0 || m.faultPage < 0 || folioHead(s, page) !== folioHead(s, m.faultPage)) return false;
  return match(kernelRule(s.cfg, 'migrate_vma_fault_page'))
    .with('caller-locked', () => true)
    .with('collect-locks', () => false)
    .exhaustive();
}

/** Whether migrate_vma_collect_pmd() selects this present or device-private pte (flags and owner). */
function selected(s: State, l: SetupL, pte: Pte & { t: 'p' | 'd' }): boolean {
  const pg = s.phys[pte.page];
  if (!pg) return false;
  if (pte.t === 'd') return l.sel.priv && pg.owner === l.owner;
  if (isDevicePage(s, pte.page)) return l.sel.coh && pg.owner === l.owner;
  return l.sel.sys;
}

export const migrateVmaSetup = defineProc<SetupL>('migrate_vma_setup', {
  start(env, l) {
    const s = env.s;
    if (l.pages) return goto('collectPfn');
    const v = vmaAt(s, l.pid, l.start);
    // The range must lie inside one VMA (migrate_vma_setup's -EINVAL checks).
    if (!v || l.n < 1 || l.start + l.n > v.end) return ret({ err: 'EINVAL', mig: -1, cpages: 0 });
    // 6.15 and later refuse a fault_page that is not locked (the caller's do_swap_page locks it).
    if (
      l.faultPage >= 0 &&
      kernelRule(s.cfg, 'migrate_vma_fault_page') === 'caller-locked' &&
      !isLocked(s, pageLock(folioHead(s, l.faultPage)))
    )
      return ret({ err: 'EINVAL', mig: -1, cpages: 0 });
    const id = s.nextMig++;
    s.migrations.push({
      id,
      pid: l.pid,
      start: l.start,
      owner: l.owner,
      src: [],
      dst: filled<number>(l.n, -1),
      faultPage: l.faultPage,
      done: false,
      cpages: 0,
      fault: 0,
    });
    l.mig = id;
    return call(
      'mmu_invalidate_start',
      invalidateArgs(l.pid, l.start, l.start + l.n, 'migrate', l.owner),
      'collect',
    );
  },
  collect(env, l) {
    const s = env.s;
    const m = migrationById(s, l.mig);
    const p = s.procs[l.pid];
    if (l.ci === undefined) m.fault = nextFault(env);
    const busy = m.fault;
    const thp = devicePrivateThp(s.cfg);
    const P = pmdPages(s.cfg);
    const own = (page: number): boolean => callerLocked(s, m, page);
    const huge = { ...l, callerLocked: own };
    for (let i = l.ci ?? 0; i < l.n; i++) {
      const vpn = l.start + i;
      const v = vmaAt(s, l.pid, vpn);
      while (m.src.length <= i) m.src.push({ page: -1, migrate: false, w: false, hole: false });
      if (!v || !p) continue;
      if (thp && (i === 0 || vpn % P === 0)) {
        // migrate_vma_collect_pmd()'s huge pmd and pmd_none cases (migrateCompound.ts).
        const took = collectHugePmd(env, huge, m, i, busy);
        if (took !== 'pages') {
          for (let k = i + 1; k < i + took; k++)
            m.src[k] = { page: -1, migrate: false, w: false, hole: false };
          i += took - 1;
          continue;
        }
      }
      const pte: Pte = p.pt[vpn] ?? null;
      if (pte === null || (pte.t === 'p' && pte.page === ZERO_PAGE)) {
        if (v.shm < 0 && (pte === null || l.sel.sys))
          m.src[i] = { page: -1, migrate: true, w: v.prot === 'rw', hole: true };
        continue;
      }
      // Migration and device-exclusive entries are not collected (only device-private swap entries are).
      if (pte.t === 'm' || pte.t === 'x') continue;
      const page = pte.page;
      if (!thp) refuseFolio(s, page, 'migrate_vma');
      else if (s.phys[page]?.head !== undefined && selected(s, l, pte)) {
        // migrate_vma_split_folio() of a pte-mapped large folio, then this page again.
        const r = splitPteMapped(env, page, m.faultPage, own);
        if (r === 'block') {
          l.ci = i;
          return block({ k: 'lock', name: pageLock(folioHead(s, page)), mode: 'w' });
        }
        if (r === 'failed') break;
      }
      const pg = s.phys[page];
      if (!pg) continue;
      if (pte.t === 'd') {
        if (!l.sel.priv || pg.owner !== l.owner) continue;
      } else if (isDevicePage(s, page)) {
        if (!l.sel.coh || pg.owner !== l.owner) continue;
      } else if (!l.sel.sys) continue;
      // 6.15 and later: the fault page comes locked from do_swap_page() and is taken as it is.
      if (!callerLocked(s, m, page)) {
        if ((busy >> i) & 1 || isLocked(s, pageLock(page))) continue;
        tryLock(env, pageLock(page), 'w');
      }
      getPage(s, page);
      setMigrationEntry(s, l.pid, vpn, pte);
      m.src[i] = { page, migrate: true, w: pte.w, hole: false };
    }
    while (m.src.length < l.n) m.src.push({ page: -1, migrate: false, w: false, hole: false });
    invalidateEnd(env, l.pid);
    // migrate_device_unmap() begins with lru_add_drain() on this CPU.
    lruAddDrain(env);
    return goto('unmap');
  },
  collectPfn(env, l) {
    // migrate_device_range (mm/migrate_device.c, 6.1): by pfn, across every process mapping them.
    const s = env.s;
    const pages = l.pages ?? [];
    const id = s.nextMig++;
    const busy = nextFault(env);
    const src: MigratePfn[] = pages.map((page, i) => {
      const pg = s.phys[page];
      // A device-private THP (7.0) would be one MIGRATE_PFN_COMPOUND entry: not modelled.
      if (pg && !pg.free) refuseFolio(s, page, 'migrate_device_pfns');
      const ok = !!pg && !pg.free && pg.gpu >= 0 && !((busy >> i) & 1) && !isLocked(s, pageLock(page));
      if (!ok) return { page: -1, migrate: false, w: false, hole: false };
      tryLock(env, pageLock(page), 'w');
      getPage(s, page);
      return { page, migrate: true, w: false, hole: false };
    });
    s.migrations.push({
      id,
      pid: -1,
      start: -1,
      owner: l.owner,
      src,
      dst: filled<number>(pages.length, -1),
      faultPage: -1,
      done: false,
      cpages: 0,
      fault: busy,
    });
    l.mig = id;
    lruAddDrain(env);
    return goto('unmap');
  },
  unmap(env, l) {
    // try_to_migrate(): other mappings of a collected page (after fork) become migration entries
    // too, each under its own MMU_NOTIFY_CLEAR invalidation, page by page in index order; at the
    // first collected system folio not on the LRU (in a CPU's batch, lruBatch.ts), before its own
    // isolation and the later folios' try_to_migrate(), lru_add_drain_all() (once: allow_drain).
    const s = env.s;
    const other = otherMapping(s, l.mig);
    if (!l.drained) {
      const m = migrationById(s, l.mig);
      const batched = m.src.findIndex((x) => x.migrate && !x.hole && inLruBatch(s, x.page));
      const next = other ? m.src.findIndex((x) => x.migrate && !x.hole && x.page === pageAt(s, other)) : -1;
      if (batched >= 0 && (next < 0 || batched <= next)) {
        l.drained = true;
        return call('lru_add_drain_all', {}, 'unmap');
      }
    }
    if (!other) return goto('check');
    l.opid = other[0];
    l.ovpn = other[1];
    l.oend = l.ovpn + 1;
    // A huge pmd mapping the folio becomes one pmd migration entry (set_pmd_migration_entry()).
    const q = s.procs[l.opid];
    if (q && hugeKind(s, q, l.ovpn)) {
      l.ovpn = pmdStart(s.cfg, l.ovpn);
      l.oend = l.ovpn + pmdPages(s.cfg);
    }
    return call('mmu_invalidate_start', invalidateArgs(l.opid, l.ovpn, l.oend, 'clear'), 'unmapped');
  },
  unmapped(env, l) {
    const s = env.s;
    const p = s.procs[l.opid];
    const m = migrationById(s, l.mig);
    const wanted = new Set(m.src.filter((x) => x.migrate && !x.hole).flatMap((x) => entryPages(s, x)));
    for (let vpn = l.ovpn; p && vpn < (l.oend ?? l.ovpn + 1); vpn++) {
      const pte = p.pt[vpn] ?? null;
      if (pte && pte.t !== 'm' && pte.t !== 'x' && wanted.has(pte.page))
        setMigrationEntry(s, p.pid, vpn, pte);
    }
    invalidateEnd(env, l.opid);
    return goto('unmap');
  },
  check(env, l) {
    // migrate_vma_check_page(): with every mapping turned into a migration entry, a page must hold no
    // reference beyond the migration's own, the faulting path's (do_swap_page) and the page cache's;
    // a pinned page, or one somebody else still holds, cannot move and its entries are restored.
    const s = env.s;
    const m = migrationById(s, l.mig);
    let cpages = 0;
    const held = (page: number): boolean => {
      const pg = s.phys[page];
      const expected = 1 + (page === m.faultPage ? 1 : 0) + ((pg?.shm ?? -1) >= 0 ? 1 : 0);
      return !!pg && (pg.pin > 0 || pg.ref - pg.map > expected);
    };
    for (const src of m.src) {
      if (!src.migrate) continue;
      // A large folio is checked whole (every page of the model's per-page counts).
      const pages = entryPages(s, src);
      if (!src.hole && pages.some(held)) {
        src.migrate = false;
        for (const page of pages) restoreEntries(s, page, page);
        if (!callerLocked(s, m, src.page)) unlock(env, pageLock(src.page));
        for (const page of pages) putPage(s, page);
        src.page = -1;
        continue;
      }
      cpages++;
    }
    m.cpages = cpages;
    const r: SetupResult = { err: '0', mig: l.mig, cpages };
    return ret(r);
  },
});

/** Where the migration entries are, by source page: one pass over the page tables for many restores. */
export function migrationEntries(s: State): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  for (const p of s.procs)
    p.pt.forEach((e, vpn) => {
      if (!e || e.t !== 'm') return;
      const l = out.get(e.page);
      if (l) l.push([p.pid, vpn]);
      else out.set(e.page, [[p.pid, vpn]]);
    });
  return out;
}

/**
 * remove_migration_ptes(): every migration entry of src becomes a mapping of page (exclusive if src
 * was). `where` (from migrationEntries) saves the walk over every page table.
 */
export function restoreEntries(
  s: State,
  src: number,
  page: number,
  where?: Map<number, Array<[number, number]>>,
): void {
  const priv = isDevicePrivate(s, page);
  const np = s.phys[page];
  if (np && page !== src) mut(PAGES, np).ax = s.phys[src]?.ax === true;
  const at = where
    ? (where.get(src) ?? [])
    : s.procs.flatMap((p) => p.pt.map((_e, vpn): [number, number] => [p.pid, vpn]));
  for (const [pid, vpn] of at) {
    const p = s.procs[pid];
    const e = p?.pt[vpn] ?? null;
    if (!p || !e || e.t !== 'm' || e.page !== src) continue;
    mut(MM, p.pt)[vpn] = null;
    setPte(
      s,
      pid,
      vpn,
      priv ? { t: 'd', page, w: e.w } : { t: 'p', page, w: e.w, ...(e.d ? { d: true } : {}) },
    );
  }
}

interface PagesL {
  mig: number;
  notified: boolean;
}

/** Whether page heads a large folio (a destination with MIGRATE_PFN_COMPOUND). */
const largeHead = (s: State, page: number): boolean => page >= 0 && s.phys[page]?.head === page;

/**
 * __migrate_device_pages()'s splits for a compound source whose destination is small: a PMD-sized
 * hole becomes PMD_NR holes, each inserted as a pte; a folio is split while unmapped
 * (migrate_vma_split_unmapped_folio(): split_huge_pmd_address(), folio_split_unmapped(), whose
 * new folios stay locked for finalize) and its pages migrate one by one. A compound source with
 * no destination at all is not migrated (the !newpage check comes first).
 */
function splitForSmallDst(env: Env, m: Migration): void {
  const s = env.s;
  const P = pmdPages(s.cfg);
  m.src.forEach((src, i) => {
    const dst = m.dst[i] ?? -1;
    if (!src.migrate || !src.compound || dst < 0 || largeHead(s, dst)) return;
    src.compound = false;
    if (src.hole) {
      for (let k = 1; k < P && i + k < m.src.length; k++)
        m.src[i + k] = { page: -1, migrate: true, w: src.w, hole: true };
      return;
    }
    const head = src.page;
    splitFolio(s, head);
    for (let k = 1; k < P && i + k < m.src.length; k++) {
      tryLock(env, pageLock(head + k), 'w');
      m.src[i + k] = { page: head + k, migrate: true, w: src.w, hole: false };
    }
  });
}

export const migrateVmaPages = defineProc<PagesL>('migrate_vma_pages', {
  start(env, l) {
    const m = migrationById(env.s, l.mig);
    // The MMU_NOTIFY_MIGRATE range starts at the first empty pte that gets a page.
    const first = m.src.findIndex((x, i) => x.migrate && x.hole && (m.dst[i] ?? -1) >= 0);
    l.notified = first >= 0;
    if (!l.notified) return goto('apply');
    const n = m.src.length;
    return call(
      'mmu_invalidate_start',
      invalidateArgs(m.pid, m.start + first, m.start + n, 'migrate', m.owner),
      'apply',
    );
  },
  apply(env, l) {
    const s = env.s;
    const m = migrationById(s, l.mig);
    const p = s.procs[m.pid];
    const broken = m.fault >> 8;
    splitForSmallDst(env, m);
    const where = migrationEntries(s);
    m.src.forEach((src, i) => {
      const dst = m.dst[i] ?? -1;
      if (!src.migrate) return;
      if (dst < 0 || largeHead(s, dst) !== !!src.compound) {
        // No destination, or a large one for a small source: not migrated.
        src.migrate = false;
        return;
      }
      const vpn = m.start + i;
      if (src.hole && src.compound) {
        // migrate_vma_insert_huge_pmd_page(): only into a pmd that is still none, in a VMA that
        // holds the whole PMD; otherwise (or a failed charge) the PMD's entries are not migrated.
        const v = vmaAt(s, m.pid, vpn);
        const P = pmdPages(s.cfg);
        const none = !!p && pmdNone(s.cfg, p, vpn) && p.pt.slice(vpn, vpn + P).every((e) => e === null);
        if (!p || !p.alive || !v || v.shm >= 0 || !hugeBlockInVma(s, v, vpn) || !none || (broken >> i) & 1) {
          src.migrate = false;
          return;
        }
        const w = v.prot === 'rw';
        const priv = isDevicePrivate(s, dst);
        for (let k = 0; k < P; k++) {
          setPte(
            s,
            m.pid,
            vpn + k,
            priv ? { t: 'd', page: dst + k, w } : { t: 'p', page: dst + k, w, ...(w ? { d: true } : {}) },
          );
          newAnonPage(s, v, dst + k);
        }
        markHuge(s, p, vpn);
        return;
      }
      if (src.hole) {
        const v = vmaAt(s, m.pid, vpn);
        const pte = p?.pt[vpn] ?? null;
        const empty = pte === null || (pte.t === 'p' && pte.page === ZERO_PAGE);
        // migrate_vma_insert_page aborts if the pte was filled meanwhile, or if anon_vma_prepare /
        // mem_cgroup_charge fail (the fault stream's migrate_vma_pages bits).
        if (!p || !p.alive || !v || v.shm >= 0 || !empty || (broken >> i) & 1) {
          src.migrate = false;
          return;
        }
        const w = v.prot === 'rw';
        setPte(
          s,
          m.pid,
          vpn,
          isDevicePrivate(s, dst)
            ? { t: 'd', page: dst, w }
            : { t: 'p', page: dst, w, ...(w ? { d: true } : {}) },
        );
        newAnonPage(s, v, dst);
        // migrate_vma_insert_page(): folio_add_lru_vma() of a system folio.
        lruBatchAdd(env, dst);
        return;
      }
      const pages = entryPages(s, src);
      const refused = (page: number): boolean => {
        const pg = s.phys[page];
        // folio_migrate_mapping(): the collect reference (and the fault's) must be all there is.
        const extra = s.cfg.exactMm && pg && pg.shm < 0 && pg.ref !== 1 + (page === m.faultPage ? 1 : 0);
        return !!(pg && pg.shm >= 0 && isDevicePage(s, dst)) || !!extra;
      };
      if ((broken >> i) & 1 || pages.some(refused)) {
        src.migrate = false;
        return;
      }
      pages.forEach((page, k) => {
        for (const [pid, v] of where.get(page) ?? []) {
          const q = s.procs[pid];
          const e = q?.pt[v] ?? null;
          if (q && e && e.t === 'm' && e.page === page) mut(MM, q.pt)[v] = { ...e, dst: dst + k };
        }
      });
    });
    if (l.notified) invalidateEnd(env, m.pid);
    return ret(0);
  },
});

/** migrate_vma_finalize(): installs the new pages (or restores the old), unlocks and drops references. */
export function migrateVmaFinalize(env: Env, id: number): { cpages: number; done: number } {
  const s = env.s;
  const m = migrationById(s, id);
  const where = migrationEntries(s);
  const cpages = m.cpages;
  let done = 0;
  let copied = 0;
  const P = pmdPages(s.cfg);
  m.src.forEach((src, i) => {
    const dst = m.dst[i] ?? -1;
    if (src.migrate) done++;
    if (!src.hole && src.page >= 0) {
      // A large folio is restored whole (remove_migration_pmd() where its pmd stays huge).
      const pages = entryPages(s, src);
      const moved = src.migrate && dst >= 0;
      // The driver copied the page's data (a hole has none) and the move went through.
      if (moved) copied += pages.length;
      // folio_add_lru() of the folio the entries now map, when it is a system folio.
      lruBatchAdd(env, moved ? dst : src.page);
      pages.forEach((page, k) => restoreEntries(s, page, moved ? dst + k : page, where));
      if (!callerLocked(s, m, src.page)) unlock(env, pageLock(src.page));
      for (const page of pages) putPage(s, page);
    }
    // The driver's allocation reference on the destination: mapped pages live on, others are freed.
    if (dst >= 0) for (let k = 0; k < (largeHead(s, dst) ? P : 1); k++) putPage(s, dst + k);
  });
  m.done = true;
  s.migrations = s.migrations.filter((x) => x.id !== id);
  if (copied) count(env, COPIED_STAT, copied);
  return { cpages, done };
}
