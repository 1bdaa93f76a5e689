// dmirror_migrate_to_device() (HMM_DMIRROR_MIGRATE_TO_DEV): per VMA, in chunks of at most 64 pages,
// migrate_vma_setup(MIGRATE_VMA_SELECT_SYSTEM) -> allocate and copy into device pages
// (dmirror_migrate_alloc_and_copy, zero-filled for empty ptes) -> migrate_vma_pages ->
// dmirror_migrate_finalize_and_map (entries for the pages that moved) -> migrate_vma_finalize.
// A page that is not readable-mapped stops it with -EINVAL (what moved stays moved); then the whole
// range is read back through the mirror, so a page that did not move (shmem, another device's)
// makes it -ENOENT. Where the kernel migrates large folios (model/kernel/thp.ts devicePrivateThp;
// Balbir Singh, "lib/test_hmm: test cases and support for zone device private THP"): chunks of
// PTRS_PER_PTE pages with MIGRATE_VMA_SELECT_COMPOUND, a compound source (a PMD-sized hole or THP)
// gets a device folio from the free_folios pool, else PMD_NR small pages. An empty pte's entry
// stays WRITE when the VMA is writable, as in 6.1: the series as posted drops that (the entry is
// WRITE only if MIGRATE_PFN_WRITE, which migrate_vma_collect_hole() never sets), which would make
// a later HMM_DMIRROR_WRITE store the device-private page itself and oops in kmap(); not modelled
// until the merged lib/test_hmm.c can be read.
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage, vmaAt } from '../../model/mem.js';
import { pmdPages } from '../../model/kernel/pmd.js';
import { allocDevFolio, devicePrivateThp } from '../../model/kernel/thp.js';
import { block, call, defineProc, goto, ret, type Env } from '../../model/proc.js';
import { doRead, type DmResult } from './dmirrorCmd.js';
import { DM_CHUNK } from './dmirrorFault.js';
import { dmMutex, dmOwner, dmState, mirrorById, mirrorStore, takeFailAlloc } from './dmirrorState.js';
import { NotModelled } from '../../model/notModelled.js';
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
    const thp = devicePrivateThp(env.s.cfg);
    l.next = Math.min(l.start + l.n, l.addr + (thp ? pmdPages(env.s.cfg) : DM_CHUNK), v.end);
    const sel = { sys: true, priv: false, coh: false, ...(thp ? { compound: true } : {}) };
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
    const P = pmdPages(s.cfg);
    const fill = (dst: number, from: number, i: number): void => {
      const d = s.phys[dst];
      if (d) mut(PAGES, d).data = from >= 0 ? (s.phys[from]?.data ?? 0) : 0;
      dmState(s).migratedBy[dst] = m.id;
      mig.dst[i] = dst;
    };
    mig.src.forEach((src, i) => {
      // dmirror_migrate_alloc_and_copy(): device pages are never collected with SELECT_SYSTEM.
      if (!src.migrate || (src.page >= 0 && (s.phys[src.page]?.gpu ?? -1) >= 0)) return;
      // HMM_DMIRROR_FLAG_FAIL_ALLOC: this entry's allocation fails (once); a compound entry then
      // falls back to small pages, a small one would fail the copy (not modelled).
      const failed = takeFailAlloc(m);
      if (failed && !src.compound)
        throw new NotModelled(
          'test_hmm: HMM_DMIRROR_FLAG_FAIL_ALLOC met by a small page (only THP migrations are modelled)',
        );
      if (src.compound) {
        const folio = failed ? -1 : allocDevFolio(s, m.dev);
        for (let k = 0; k < P && i + k < mig.src.length; k++) {
          const dst = folio >= 0 ? folio + k : allocDevPage(s, m.dev);
          if (dst < 0) continue;
          fill(dst, src.page >= 0 ? src.page + k : -1, i + k);
          if (folio >= 0) mig.dst[i + k] = -1;
        }
        if (folio >= 0) mig.dst[i] = folio;
        return;
      }
      const dst = allocDevPage(s, m.dev);
      if (dst >= 0) fill(dst, src.page, i);
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
      const nr = s.phys[dst]?.head === dst ? pmdPages(s.cfg) : 1;
      const tag = src.w ? 'w' : 'r';
      for (let k = 0; k < nr; k++) mirrorStore(env, m, l.addr + i + k, { page: dst + k, tag, direct: false });
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
