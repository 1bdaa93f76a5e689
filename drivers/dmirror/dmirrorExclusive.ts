// dmirror_exclusive() (HMM_DMIRROR_EXCLUSIVE): under mmap_lock, in chunks of at most 64 pages,
// make_device_exclusive_range(owner NULL); only when GUP got every page of the chunk are the pages
// that became exclusive stored as ATOMIC entries (dmirror_atomic_map), and a chunk with any page
// short of that fails the call with -EBUSY. Then the range is read back through the mirror. That is
// 6.1's and 6.12's; from 6.15 the ioctl is dmirrorExclusivePage.ts.
import type { ExclusiveResult } from '../../model/kernel/make_device_exclusive.js';
import { deviceExclusiveApi } from '../../model/kernel/make_device_exclusive_page.js';
import { mmapLock, pageLock, tryLock, unlock } from '../../model/locks.js';
import { putPage } from '../../model/mem.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import { doRead, type DmResult } from './dmirrorCmd.js';
import { DM_CHUNK } from './dmirrorFault.js';
import { dmMutex, mirrorById, mirrorStore } from './dmirrorState.js';

interface L {
  m: number;
  start: number;
  n: number;
  addr: number;
  next: number;
  got: ExclusiveResult;
}

export const dmirrorExclusive = defineProc<L>('dmirror_exclusive', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    // From 6.15 the kernel has make_device_exclusive() instead, and test_hmm a loop of its own.
    if (deviceExclusiveApi(env.s.cfg) === 'make_device_exclusive')
      return call('drv:exclusive_page', { m: l.m, start: l.start, n: l.n }, 'page');
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.addr = l.start;
    return goto('chunk');
  },
  page(_env, _l, r) {
    return (r as DmResult).err === '0' ? goto('read') : ret(r);
  },
  chunk(env, l) {
    const m = mirrorById(env.s, l.m);
    if (l.addr >= l.start + l.n) {
      unlock(env, mmapLock(m.pid));
      return goto('read');
    }
    l.next = Math.min(l.start + l.n, l.addr + DM_CHUNK);
    return call(
      'make_device_exclusive_range',
      { pid: m.pid, start: l.addr, n: l.next - l.addr, owner: -1 },
      'got',
    );
  },
  got(_env, l, r) {
    l.got = r as ExclusiveResult;
    if (l.got.err === '0' && l.got.npages === l.next - l.addr) return goto('atomicMap');
    return goto('release');
  },
  atomicMap(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    l.got.pages.forEach((page, i) => {
      if (page >= 0) mirrorStore(env, m, l.addr + i, { page, tag: 'a', direct: false });
    });
    unlock(env, dmMutex(m));
    return goto('release');
  },
  release(env, l) {
    // unlock_page() + put_page() of the pages that became exclusive; then any miss is -EBUSY.
    const s = env.s;
    const m = mirrorById(s, l.m);
    const mapped =
      l.got.err === '0' && l.got.npages === l.next - l.addr ? l.got.pages.filter((p) => p >= 0).length : 0;
    for (const page of l.got.pages) {
      if (page < 0) continue;
      unlock(env, pageLock(page));
      putPage(s, page);
    }
    if (mapped < l.next - l.addr) {
      unlock(env, mmapLock(m.pid));
      return ret({ err: 'EBUSY', cpages: 0, faults: 0 } satisfies DmResult);
    }
    l.addr = l.next;
    return goto('chunk');
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
