// dmirror_range_fault() + dmirror_do_fault(): hmm_range_fault() under mmap_lock with the
// read_begin / read_retry protocol, then, under the mirror mutex, one XArray entry per page holding
// the struct page hmm_range_fault() reported (tagged WRITE when the CPU pte is writable).
import { pfnPage, pfnWrite, type HmmResult } from '../../model/kernel/hmm.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { readBegin, readRetry } from '../../model/notifier.js';
import { block, call, defineProc, emit, ret, spinTo } from '../../model/proc.js';
import { dmMutex, dmOwner, mirrorById, mirrorStore } from './dmirrorState.js';
import { filled } from '../../model/filled.js';

interface L {
  m: number;
  start: number;
  n: number;
  write: boolean;
  seq: number;
  pfns: number[];
}

export const dmirrorRangeFault = defineProc<L>('dmirror_range_fault', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    const seq = readBegin(env.s, m.nid);
    if (seq === null) return block({ k: 'notifier', id: m.nid });
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.seq = seq;
    const req = filled<number>(l.n, l.write ? 2 : 1);
    const args = { nid: m.nid, seq, pid: m.pid, start: l.start, n: l.n, req, owner: dmOwner(m.dev) };
    return call('hmm_range_fault', args, 'faulted');
  },
  faulted(env, l, r) {
    const m = mirrorById(env.s, l.m);
    unlock(env, mmapLock(m.pid));
    const res = r as HmmResult;
    if (res.err === 'EBUSY') return spinTo('start');
    if (res.err !== '0') return ret(res.err);
    l.pfns = res.pfns;
    return { k: 'goto', pc: 'commit' };
  },
  commit(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    if (readRetry(env.s, m.nid, l.seq)) {
      unlock(env, dmMutex(m));
      return spinTo('start');
    }
    for (let i = 0; i < l.n; i++) {
      const pfn = l.pfns[i] ?? -1;
      const w = pfnWrite(pfn);
      // dmirror_do_fault(): a write request that came back read-only is a WARN and -EFAULT. It does
      // come back read-only for a read-only device-private page of this very device, which
      // hmm_range_fault() reports as it is, without the write fault that was asked for.
      if (l.write && !w) {
        emit(env, {
          e: 'warn',
          at: 'lib/test_hmm.c:280',
          why: `dmirror_do_fault: page ${l.start + i} came back read-only from a write fault`,
        });
        unlock(env, dmMutex(m));
        return ret('EFAULT');
      }
      mirrorStore(env, m, l.start + i, { page: pfnPage(pfn), tag: w ? 'w' : 'r', direct: true });
    }
    unlock(env, dmMutex(m));
    return ret('0');
  },
});
