// dmirror_exclusive() (HMM_DMIRROR_EXCLUSIVE) of Linux 6.15 and later, on make_device_exclusive()
// (model/kernel/make_device_exclusive_page.ts): under mmap_lock, page by page, make the page
// exclusive (owner NULL), store it as an ATOMIC entry under the mirror's mutex (dmirror_atomic_map),
// then folio_unlock() + folio_put(). The first error ends the loop and is the ioctl's result as it is
// (no -EBUSY translation, unlike 6.1's dmirror_exclusive()); otherwise the caller reads the range back
// through the mirror (dmirrorExclusive.ts's read step, the same in both releases). Read in a stored
// lib/test_hmm.c of that release (kernelRules.ts make_device_exclusive).
import type { DeviceExclusivePage } from '../../model/kernel/make_device_exclusive_page.js';
import { mmapLock, pageLock, tryLock, unlock } from '../../model/locks.js';
import { putPage } from '../../model/mem.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import type { DmResult } from './dmirrorCmd.js';
import { dmMutex, mirrorById, mirrorStore } from './dmirrorState.js';

interface L {
  m: number;
  start: number;
  n: number;
  addr: number;
  got: DeviceExclusivePage;
}

/**
 * dmirror_exclusive() on make_device_exclusive().
 * Context: takes mmap_lock for read, each page's folio lock (inside make_device_exclusive()) and
 * the mirror's mutex under it; sleeps.
 * Return: a DmResult without data: err '0' when every page was made exclusive, else the first errno.
 */
export const dmirrorExclusivePage = defineProc<L>('dmirror_exclusive_page', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.addr = l.start;
    return goto('page');
  },
  page(env, l) {
    const m = mirrorById(env.s, l.m);
    if (l.addr >= l.start + l.n) {
      unlock(env, mmapLock(m.pid));
      return ret({ err: '0', cpages: 0, faults: 0 } satisfies DmResult);
    }
    return call('make_device_exclusive', { pid: m.pid, vpn: l.addr, owner: -1 }, 'got');
  },
  got(env, l, r) {
    l.got = r as DeviceExclusivePage;
    if (l.got.err === '0') return goto('atomicMap');
    unlock(env, mmapLock(mirrorById(env.s, l.m).pid));
    return ret({ err: l.got.err, cpages: 0, faults: 0 } satisfies DmResult);
  },
  atomicMap(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    mirrorStore(env, m, l.addr, { page: l.got.page, tag: 'a', direct: false });
    unlock(env, dmMutex(m));
    unlock(env, pageLock(l.got.folio));
    putPage(env.s, l.got.page);
    l.addr++;
    return goto('page');
  },
});
