// migrate_vma_setup / migrate_vma_pages / migrate_vma_finalize (mm/migrate_device.c). Partial
// migration is the normal case (seed 004_78f2c797c44aa03c.txt): pages that are busy (page lock
// contended: the program's fault stream says which), pinned, of another owner or not selected
// are not collected; migrate_vma_pages can still fail collected pages (shmem pages to device
// memory, an unexpected reference, an empty pte that was faulted in meanwhile).
import { call, defineProc, goto, ret, type Env } from '../proc.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { getPage, isDevicePage, isDevicePrivate, putPage, setPte, vmaAt, ZERO_PAGE } from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import type { Migration, MigratePfn, Pte, State } from '../types.js';
import { invalidateArgs } from './invalidate.js';

export interface Select {
  sys: boolean;
  priv: boolean;
  coh: boolean;
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

/** The next fault-stream entry; read its bits with faultBit, before the next entry is taken. */
function nextFault(env: Env): number {
  const v = env.faults[env.s.faultIdx] ?? 0;
  env.s.faultIdx++;
  env.faultReads?.push(0);
  return v;
}

/** Bit i of the entry shifted right by `shift`, recorded as observed in the latest read. */
function faultBit(env: Env, entry: number, shift: number, i: number): boolean {
  const reads = env.faultReads;
  const k = (reads?.length ?? 0) - 1;
  if (reads && k >= 0) reads[k] = (reads[k] ?? 0) | (1 << Math.min(31, shift + (i & 31)));
  return ((entry >> shift) >> i) & 1 ? true : false;
}

interface SetupL {
  pid: number;
  start: number;
  n: number;
  owner: number;
  sel: Select;
  faultPage: number;
  mig: number;
  opid: number;
  ovpn: number;
}

/** A still-present mapping of a collected page, in another process (or elsewhere in this one). */
function otherMapping(s: State, id: number): [number, number] | null {
  const m = migrationById(s, id);
  for (const src of m.src) {
    if (!src.migrate || src.hole) continue;
    for (const p of s.procs) {
      if (!p.alive) continue;
      const vpn = p.pt.findIndex((e) => e !== null && e.t !== 'm' && e.page === src.page);
      if (vpn >= 0) return [p.pid, vpn];
    }
  }
  return null;
}

export const migrateVmaSetup = defineProc<SetupL>('migrate_vma_setup', {
  start(env, l) {
    const s = env.s;
    const v = vmaAt(s, l.pid, l.start);
    // The range must lie inside one VMA (migrate_vma_setup's -EINVAL checks).
    if (!v || l.n < 1 || l.start + l.n > v.end) return ret({ err: 'EINVAL', mig: -1, cpages: 0 });
    const id = s.nextMig++;
    s.migrations.push({
      id,
      pid: l.pid,
      start: l.start,
      owner: l.owner,
      src: [],
      dst: new Array<number>(l.n).fill(-1),
      faultPage: l.faultPage,
      done: false,
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
    const busy = nextFault(env);
    for (let i = 0; i < l.n; i++) {
      const vpn = l.start + i;
      const v = vmaAt(s, l.pid, vpn);
      const pte: Pte = p?.pt[vpn] ?? null;
      const skip: MigratePfn = { page: -1, migrate: false, w: false, hole: false };
      m.src.push(skip);
      if (!v || !p) continue;
      if (pte === null || (pte.t === 'p' && pte.page === ZERO_PAGE)) {
        if (v.shm < 0 && (pte === null || l.sel.sys))
          m.src[i] = { page: -1, migrate: true, w: v.prot === 'rw', hole: true };
        continue;
      }
      if (pte.t === 'm') continue;
      const page = pte.page;
      const pg = s.phys[page];
      if (!pg) continue;
      if (pte.t === 'd') {
        if (!l.sel.priv || pg.owner !== l.owner) continue;
      } else if (isDevicePage(s, page)) {
        if (!l.sel.coh || pg.owner !== l.owner) continue;
      } else if (!l.sel.sys) continue;
      if (faultBit(env, busy, 0, i) || isLocked(s, pageLock(page))) continue;
      tryLock(env, pageLock(page), 'w');
      getPage(s, page);
      setPte(s, l.pid, vpn, null);
      p.pt[vpn] = { t: 'm', page, w: pte.w, dst: -1 };
      m.src[i] = { page, migrate: true, w: pte.w, hole: false };
    }
    invalidateEnd(env, l.pid);
    return goto('unmap');
  },
  unmap(env, l) {
    // try_to_migrate(): other mappings of a collected page (after fork) become migration entries
    // too, each under its own MMU_NOTIFY_CLEAR invalidation.
    const other = otherMapping(env.s, l.mig);
    if (!other) return goto('check');
    l.opid = other[0];
    l.ovpn = other[1];
    return call('mmu_invalidate_start', invalidateArgs(l.opid, l.ovpn, l.ovpn + 1, 'clear'), 'unmapped');
  },
  unmapped(env, l) {
    const s = env.s;
    const p = s.procs[l.opid];
    const pte = p?.pt[l.ovpn] ?? null;
    const m = migrationById(s, l.mig);
    if (p && pte && pte.t !== 'm' && m.src.some((x) => x.migrate && !x.hole && x.page === pte.page)) {
      setPte(s, p.pid, l.ovpn, null);
      p.pt[l.ovpn] = { t: 'm', page: pte.page, w: pte.w, dst: -1 };
    }
    invalidateEnd(env, l.opid);
    return goto('unmap');
  },
  check(env, l) {
    // migrate_vma_check_page(): a pinned page cannot move; its entries are restored.
    const s = env.s;
    const m = migrationById(s, l.mig);
    let cpages = 0;
    for (const src of m.src) {
      if (!src.migrate) continue;
      if (!src.hole && (s.phys[src.page]?.pin ?? 0) > 0) {
        src.migrate = false;
        restoreEntries(s, src.page, src.page);
        unlock(env, pageLock(src.page));
        putPage(s, src.page);
        src.page = -1;
        continue;
      }
      cpages++;
    }
    const r: SetupResult = { err: '0', mig: l.mig, cpages };
    return ret(r);
  },
});

/** remove_migration_ptes(): every migration entry of src becomes a mapping of page. */
function restoreEntries(s: State, src: number, page: number): void {
  const priv = isDevicePrivate(s, page);
  for (const p of s.procs) {
    for (let vpn = 0; vpn < p.pt.length; vpn++) {
      const e = p.pt[vpn] ?? null;
      if (!e || e.t !== 'm' || e.page !== src) continue;
      p.pt[vpn] = null;
      setPte(s, p.pid, vpn, { t: priv ? 'd' : 'p', page, w: e.w });
    }
  }
}

interface PagesL {
  mig: number;
  notified: boolean;
}

export const migrateVmaPages = defineProc<PagesL>('migrate_vma_pages', {
  start(env, l) {
    const m = migrationById(env.s, l.mig);
    l.notified = m.src.some((x, i) => x.migrate && x.hole && (m.dst[i] ?? -1) >= 0);
    if (!l.notified) return goto('apply');
    const n = m.src.length;
    return call(
      'mmu_invalidate_start',
      invalidateArgs(m.pid, m.start, m.start + n, 'migrate', m.owner),
      'apply',
    );
  },
  apply(env, l) {
    const s = env.s;
    const m = migrationById(s, l.mig);
    const p = s.procs[m.pid];
    const broken = nextFault(env);
    m.src.forEach((src, i) => {
      const dst = m.dst[i] ?? -1;
      if (!src.migrate) return;
      if (dst < 0) {
        src.migrate = false;
        return;
      }
      const vpn = m.start + i;
      if (src.hole) {
        const v = vmaAt(s, m.pid, vpn);
        const pte = p?.pt[vpn] ?? null;
        const empty = pte === null || (pte.t === 'p' && pte.page === ZERO_PAGE);
        if (!p || !p.alive || !v || v.shm >= 0 || !empty) {
          src.migrate = false;
          return;
        }
        const w = v.prot === 'rw';
        setPte(s, m.pid, vpn, { t: isDevicePrivate(s, dst) ? 'd' : 'p', page: dst, w });
        return;
      }
      const pg = s.phys[src.page];
      if ((pg && pg.shm >= 0 && isDevicePage(s, dst)) || faultBit(env, broken, 8, i)) {
        src.migrate = false;
        return;
      }
      for (const q of s.procs)
        for (let v = 0; v < q.pt.length; v++) {
          const e = q.pt[v] ?? null;
          if (e && e.t === 'm' && e.page === src.page) q.pt[v] = { ...e, dst };
        }
    });
    if (l.notified) invalidateEnd(env, m.pid);
    return ret(0);
  },
});

/** migrate_vma_finalize(): installs the new pages (or restores the old), unlocks and drops references. */
export function migrateVmaFinalize(env: Env, id: number): { cpages: number; done: number } {
  const s = env.s;
  const m = migrationById(s, id);
  let cpages = 0;
  let done = 0;
  m.src.forEach((src, i) => {
    const dst = m.dst[i] ?? -1;
    if (src.migrate) done++;
    if (!src.hole && src.page >= 0) {
      cpages++;
      restoreEntries(s, src.page, src.migrate && dst >= 0 ? dst : src.page);
      unlock(env, pageLock(src.page));
      putPage(s, src.page);
    } else if (src.hole && src.migrate) cpages++;
    // The driver's allocation reference on the destination: mapped pages live on, others are freed.
    if (dst >= 0) putPage(s, dst);
  });
  m.done = true;
  s.migrations = s.migrations.filter((x) => x.id !== id);
  return { cpages, done };
}
