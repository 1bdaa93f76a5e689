// dmirror_read() (HMM_DMIRROR_READ): read through the mirror; at the first page without an entry,
// mirror the rest of the range for read (dmirror_fault) and count one fault, then read on.
import { tryLock, unlock } from '../../model/locks.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import { doRead, type DmResult } from './dmirrorCmd.js';
import { dmMutex, mirrorById } from './dmirrorState.js';

interface L {
  m: number;
  start: number;
  n: number;
  data: number[];
  faults: number;
}

export const dmirrorRead = defineProc<L>('dmirror_read', {
  start(_env, l) {
    l.data = [];
    l.faults = 0;
    return goto('read');
  },
  read(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    const err = doRead(env.s, m, l.start + l.data.length, l.start + l.n, l.data);
    unlock(env, dmMutex(m));
    if (err === '0') return ret({ err, cpages: l.n, faults: l.faults, data: l.data } satisfies DmResult);
    const from = l.start + l.data.length;
    return call('drv:fault', { m: l.m, start: from, end: l.start + l.n, write: false }, 'faulted');
  },
  faulted(_env, l, r) {
    if (r !== '0') return ret({ err: String(r), cpages: l.data.length, faults: l.faults } satisfies DmResult);
    l.faults++;
    return goto('read');
  },
});
