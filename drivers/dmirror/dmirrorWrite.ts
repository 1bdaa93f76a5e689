// dmirror_write() (HMM_DMIRROR_WRITE): write through WRITE-tagged mirror entries; at the first page
// without one, mirror the rest of the range for write (dmirror_fault) and count one fault.
import { tryLock, unlock } from '../../model/locks.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import { doWrite, type DmResult } from './dmirrorCmd.js';
import { dmMutex, mirrorById } from './dmirrorState.js';

interface L {
  m: number;
  start: number;
  n: number;
  value: number;
  /** Per-page values of the user buffer; `value` for every page when absent (the runner's dm_write). */
  values?: number[];
  cpages: number;
  faults: number;
}

export const dmirrorWrite = defineProc<L>('dmirror_write', {
  start(_env, l) {
    l.cpages = 0;
    l.faults = 0;
    return goto('write');
  },
  write(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    const w = doWrite(env.s, m, l.start + l.cpages, l.start + l.n, (i) => l.values?.[i - l.start] ?? l.value);
    unlock(env, dmMutex(m));
    if (w >= 0) return ret({ err: '0', cpages: l.cpages + w, faults: l.faults } satisfies DmResult);
    l.cpages += -1 - w;
    const from = l.start + l.cpages;
    return call('drv:fault', { m: l.m, start: from, end: l.start + l.n, write: true }, 'faulted');
  },
  faulted(_env, l, r) {
    if (r !== '0') return ret({ err: String(r), cpages: l.cpages, faults: l.faults } satisfies DmResult);
    l.faults++;
    return goto('write');
  },
});
