// dmirror_fault(): mirror [start, end) for read or write in ranges of at most 64 pages (the size of
// its pfns array), stopping at the first error; -EFAULT once the mirrored mm has exited.
import { call, defineProc, goto, ret } from '../../model/proc.js';
import { mirrorById } from './dmirrorState.js';

/** Pages per hmm_range_fault() call: ARRAY_SIZE(pfns) in dmirror_fault(). */
export const DM_CHUNK = 64;

interface L {
  m: number;
  start: number;
  end: number;
  write: boolean;
  addr: number;
}

export const dmirrorFault = defineProc<L>('dmirror_fault', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret('EFAULT');
    l.addr = l.start;
    return goto('next');
  },
  next(_env, l) {
    if (l.addr >= l.end) return ret('0');
    const n = Math.min(DM_CHUNK, l.end - l.addr);
    return call('drv:range_fault', { m: l.m, start: l.addr, n, write: l.write }, 'done');
  },
  done(_env, l, r) {
    if (r !== '0') return ret(r);
    l.addr += Math.min(DM_CHUNK, l.end - l.addr);
    return goto('next');
  },
});
