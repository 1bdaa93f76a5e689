// dmirror_migrate_to_device() (HMM_DMIRROR_MIGRATE_TO_DEV): per VMA, in chunks of at most 64 pages,
// migrate_vma_setup(MIGRATE_VMA_SELECT_SYSTEM) -> allocate and copy into device pages
// (dmirror_migrate_alloc_and_copy, zero-filled for empty ptes) -> migrate_vma_pages ->
// dmirror_migrate_finalize_and_map (entries for the pages that moved) -> migrate_vma_finalize.
// A page that is not readable-mapped stops it with -EINVAL (what moved stays moved); then the whole
// range is read back through the mirror, so a page that did not move (shmem, another device's)
// makes it -ENOENT.
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage, vmaAt } from '../../model/mem.js';
import { block, call, defineProc, goto, ret, type Env } from '../../model/proc.js';
import { doRead, type DmResult } from './dmirrorCmd.js';
import { DM_CHUNK } from './dmirrorFault.js';
import { dmMutex, dmOwner, dmState, mirrorById, mirrorStore } from './dmirrorState.js';
import { PAGES, mut } from '../../model/touched.js';

interface L {
  m: number;
  start: number;
  n: number;
  addr: number;
  next: number;
  mig: number;
}

function fail(env: Env, pid: number, err: string): ReturnType<typeof ret> {
  unlock(env, mmapLock(pid));
  return ret({ err, cpages: 0, faults: 0 } satisfies DmResult);
}

export const dmirrorMigrateToDevice = defineProc<L>('dmirror_migrate_to_device', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.addr = l.start;
    return goto('chunk');
  },
  chunk(env, l) {
    const m = mirrorById(env.s, l.m);
    if (l.addr >= l.start + l.n) return goto('readback');
    const v = vmaAt(env.s, m.pid, l.addr);
    if (!v || v.prot === 'none') return fail(env, m.pid, 'EINVAL');
    l.next = Math.min(l.start + l.n, l.addr + DM_CHUNK, v.end);
    const sel = { sys: true, priv: false, coh: false };
    const args = { pid: m.pid, start: l.addr, n: l.next - l.addr, owner: dmOwner(m.dev), sel, faultPage: -1 };
    return call('migrate_vma_setup', args, 'setup');
  },
  setup(env, l, r) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    const res = r as SetupResult;
    if (res.err !== '0') return fail(env, m.pid, res.err);
    l.mig = res.mig;
    const mig = migrationById(s, l.mig);
    mig.src.forEach((src, i) => {
      // dmirror_migrate_alloc_and_copy(): device pages are never collected with SELECT_SYSTEM.
      if (!src.migrate || (src.page >= 0 && (s.phys[src.page]?.gpu ?? -1) >= 0)) return;
      const dst = allocDevPage(s, m.dev);
      if (dst < 0) return;
      const d = s.phys[dst];
      if (d) mut(PAGES, d).data = src.page >= 0 ? (s.phys[src.page]?.data ?? 0) : 0;
      dmState(s).migratedBy[dst] = m.id;
      mig.dst[i] = dst;
    });
    return call('migrate_vma_pages', { mig: l.mig }, 'map');
  },
  map(env, l) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    // dmirror_migrate_finalize_and_map(): the backing page, WRITE-tagged if the source was writable.
    const mig = migrationById(s, l.mig);
    mig.src.forEach((src, i) => {
      const dst = mig.dst[i] ?? -1;
      if (!src.migrate || dst < 0) return;
      mirrorStore(env, m, l.addr + i, { page: dst, tag: src.w ? 'w' : 'r', direct: false });
    });
    unlock(env, dmMutex(m));
    migrateVmaFinalize(env, l.mig);
    l.addr = l.next;
    return goto('chunk');
  },
  readback(env, l) {
    const m = mirrorById(env.s, l.m);
    unlock(env, mmapLock(m.pid));
    return goto('read');
  },
  read(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    const data: number[] = [];
    const err = doRead(env.s, m, l.start, l.start + l.n, data);
    unlock(env, dmMutex(m));
    return ret({ err, cpages: data.length, faults: 0, ...(err === '0' ? { data } : {}) } satisfies DmResult);
  },
});
