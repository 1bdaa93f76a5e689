// madvise(MADV_DONTNEED) as Linux 6.1 runs it (mm/madvise.c), used when cfg.exactMm is set:
// madvise_walk_vmas() visits each VMA of the range and zap_page_range() raises one MMU_NOTIFY_CLEAR
// invalidation per VMA part; holes make the call return -ENOMEM after the mapped parts are zapped.
import { block, call, defineProc, emit, goto, ret } from '../proc.js';
import { mmapLock, tryLock, unlock } from '../locks.js';
import { invalidateEnd } from '../notifier.js';
import { invalidateArgs } from './invalidate.js';
import { zapPtes } from './vmas.js';
import { CELLS, mut } from '../touched.js';

interface L {
  pid: number;
  start: number;
  end: number;
  err: string;
  pieces: number[][];
  i: number;
}

export const sysMadviseDontneedExact = defineProc<L>('sys_madvise_dontneed_exact', {
  start(env, l) {
    if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('madvise: no process');
    l.pieces = [];
    l.i = 0;
    for (const v of p.vmas) {
      const a = Math.max(v.start, l.start);
      const b = Math.min(v.end, l.end);
      if (a < b) l.pieces.push([a, b]);
    }
    const covered = l.pieces.reduce((n, [a, b]) => n + ((b ?? 0) - (a ?? 0)), 0);
    l.err = l.end <= l.start ? '0' : covered < l.end - l.start ? 'ENOMEM' : '0';
    return goto('next');
  },
  next(env, l) {
    const piece = l.pieces[l.i];
    if (!piece) {
      unlock(env, mmapLock(l.pid));
      emit(env, {
        e: 'syscall',
        op: 'madvise',
        pid: l.pid,
        err: l.err,
        detail: `[${l.start}, ${l.end}) DONTNEED`,
      });
      return ret(l.err);
    }
    return call('mmu_invalidate_start', invalidateArgs(l.pid, piece[0] ?? 0, piece[1] ?? 0, 'clear'), 'zap');
  },
  zap(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    const [a, b] = l.pieces[l.i] as [number, number];
    l.i++;
    if (!p) throw new Error('madvise: no process');
    zapPtes(s, l.pid, a, b);
    for (let vpn = a; vpn < b; vpn++) {
      // Private anonymous memory reads back as zeroes; shmem keeps its page cache.
      const v = p.vmas.find((x) => vpn >= x.start && vpn < x.end);
      const cell = s.cells[p.cell[vpn] ?? -1];
      if (v && v.shm < 0 && cell) mut(CELLS, cell).v = 0;
    }
    invalidateEnd(env, l.pid);
    return goto('next');
  },
});
