// svm_range_cpu_invalidate_pagetables and svm_range_deferred_list_work. An unmap zaps the GPUs
// synchronously, splits the range (the unmapped part becomes a child to free) and queues the rest
// for the deferred worker, which runs later under mmap_lock for write after draining the retry
// faults still in flight. Other events zap the overlap — except, for the driver's own migrations,
// pages that the migration will not move.
import { spawn } from '../../model/engine.js';
import { gpuZap } from '../../model/gpu.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { isDevicePage } from '../../model/mem.js';
import { setSeq } from '../../model/notifier.js';
import { block, bump, count, defineProc, emit, goto, ret, type Env, type Proc } from '../../model/proc.js';
import { addToTree, removeFromTree, unmapSplit } from './rangeOps.js';
import { dropNode } from './svmBo.js';
import type { SvmOptions } from './svmOptions.js';
import {
  children,
  deferredCount,
  draining,
  drainAhead,
  dropRange,
  pendingFaults,
  rangeById,
  rangeLock,
  svmsLock,
  svmState,
  type SvmRange,
} from './svmState.js';

/** svm_range_unmap_from_gpus over [start, last] of one range (every GPU), keeping pm truthful. */
export function unmapFromGpus(
  env: Env,
  r: SvmRange,
  start: number,
  last: number,
  keep?: (vpn: number, page: number) => boolean,
): void {
  const s = env.s;
  const a = Math.max(start, r.start);
  const b = Math.min(last, r.last);
  for (let g = 0; g < s.cfg.gpus.length; g++) {
    for (let vpn = a; vpn <= b; vpn++) {
      const pte = s.gpuPt[g]?.[r.pid]?.[vpn] ?? null;
      if (pte && keep?.(vpn, pte.page)) continue;
      gpuZap(env, g, r.pid, vpn, vpn + 1);
      r.pm[vpn - r.start] = (r.pm[vpn - r.start] ?? 0) & ~(1 << g);
    }
  }
}

function addListWork(env: Env, r: SvmRange, op: SvmRange['op']): void {
  const st = svmState(env.s);
  if (r.deferred) {
    if (r.op !== 'unmap') r.op = op;
  } else {
    r.op = op;
    r.deferred = true;
    st.deferred.push(r.id);
    bump(env, deferredCount(r.pid), 1);
  }
  if (!st.worker) {
    st.worker = true;
    spawn(env.s, 'kworker', -1, 'drv:deferred_work', {});
  }
}

interface InvL {
  nid: number;
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  owner: number;
  seq: number;
}

export function invalidate(opts: SvmOptions): Proc {
  return defineProc<InvL>('invalidate', {
    start(env, l) {
      const s = env.s;
      const r = rangeById(s, l.tag);
      if (!r) return ret(true);
      const last = l.end - 1;
      if (l.event === 'release') {
        // Process teardown destroys the GPU VM and frees the ranges (svm_range_list_fini).
        for (const c of children(s, r.id)) {
          unmapFromGpus(env, c, c.start, c.last);
          dropNode(s, c, opts);
          dropRange(s, c.id);
        }
        unmapFromGpus(env, r, r.start, r.last);
        removeFromTree(s, r);
        dropNode(s, r, opts);
        dropRange(s, r.id);
        return ret(true);
      }
      if (!tryLock(env, rangeLock(r.id), 'w')) return block({ k: 'lock', name: rangeLock(r.id), mode: 'w' });
      setSeq(s, l.nid, l.seq);
      if (l.event === 'unmap') {
        bump(env, draining(l.pid), 1);
        const whole = l.start <= r.start && last >= r.last;
        for (const c of children(s, r.id)) {
          if (!opts.deferGpuUnmap) unmapFromGpus(env, c, l.start, last);
          unmapSplit(s, r, c, l.start, last, opts);
        }
        if (!opts.deferGpuUnmap) unmapFromGpus(env, r, l.start, last);
        unmapSplit(s, r, r, l.start, last, opts);
        emit(env, {
          e: 'svm-range',
          pid: l.pid,
          start: l.start,
          last,
          what: whole ? 'unmapped, to be freed' : 'split by munmap',
        });
        addListWork(env, r, whole ? 'unmap' : 'update');
      } else {
        const intent = svmState(s).intents.find(
          (x) =>
            l.event === 'migrate' &&
            x.owner === l.owner &&
            x.pid === l.pid &&
            x.start < l.end &&
            l.start < x.end,
        );
        // Our own migration moves only system pages (to VRAM) or pages of its owner (to RAM).
        const keep = intent
          ? (_vpn: number, page: number): boolean =>
              intent.toDev
                ? isDevicePage(s, page)
                : !isDevicePage(s, page) || s.phys[page]?.owner !== intent.owner
          : undefined;
        if (keep) count(env, 'own migration: mappings kept');
        for (const c of children(s, r.id)) unmapFromGpus(env, c, l.start, last, keep);
        unmapFromGpus(env, r, l.start, last, keep);
      }
      unlock(env, rangeLock(r.id));
      return ret(true);
    },
  });
}

interface WorkL {
  id: number;
  pid: number;
  /** drain_pagefaults as the drain read it. */
  drain: number;
}

function handleOp(env: Env, r: SvmRange, opts: SvmOptions): void {
  const s = env.s;
  if (r.op === 'unmap') {
    // A driver that deferred the GPU unmap does it here, long after the notifier returned.
    if (opts.deferGpuUnmap) unmapFromGpus(env, r, r.start, r.last);
    removeFromTree(s, r);
    dropNode(s, r, opts);
    dropRange(s, r.id);
    emit(env, {
      e: 'svm-range',
      pid: r.pid,
      start: r.start,
      last: r.last,
      what: 'freed by the deferred worker',
    });
    return;
  }
  if (r.op === 'add' || r.op === 'update') {
    removeFromTree(s, r);
    addToTree(s, r);
  }
  r.op = 'none';
}

export function deferredWork(opts: SvmOptions): Proc {
  return defineProc<WorkL>('deferred_work', {
    start() {
      return goto('next');
    },
    next(env, l) {
      const st = svmState(env.s);
      const id = st.deferred[0];
      const r = id === undefined ? undefined : rangeById(env.s, id);
      if (!r) {
        st.worker = false;
        return ret(0);
      }
      l.id = r.id;
      l.pid = r.pid;
      return goto('mm');
    },
    mm(env, l) {
      if (!tryLock(env, mmapLock(l.pid), 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
      // Checking for pending retry faults under mmap_lock serializes with munmap's notifiers.
      if ((env.s.counters[draining(l.pid)] ?? 0) > 0) {
        unlock(env, mmapLock(l.pid));
        return goto('drain');
      }
      return goto('svms');
    },
    drain(env, l) {
      // svm_range_drain_retry_fault: read drain_pagefaults, take the checkpoint of every GPU's
      // ring (the faults in it now), then wait until the handler has processed them.
      const s = env.s;
      l.drain = s.counters[draining(l.pid)] ?? 0;
      for (let g = 0; g < s.cfg.gpus.length; g++) {
        const pending = s.counters[pendingFaults(l.pid, g)] ?? 0;
        if (pending > 0) s.counters[drainAhead(l.pid, g)] = pending;
      }
      return goto('drained');
    },
    drained(env, l) {
      for (let g = 0; g < env.s.cfg.gpus.length; g++)
        if ((env.s.counters[drainAhead(l.pid, g)] ?? 0) > 0)
          return block({ k: 'counter', key: drainAhead(l.pid, g), until: 0 });
      // atomic_cmpxchg(&svms->drain_pagefaults, drain, 0) != drain: a munmap asked for another
      // drain meanwhile, and faults raised before it may still be in a ring: restart.
      if ((env.s.counters[draining(l.pid)] ?? 0) !== l.drain) {
        count(env, 'retry fault drain restarted');
        return goto('drain');
      }
      delete env.s.counters[draining(l.pid)];
      count(env, 'retry faults drained');
      return goto('mm');
    },
    svms(env, l) {
      const s = env.s;
      if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
      const st = svmState(s);
      // Process teardown may have freed the range (and uncounted it) while we waited for the locks.
      if (st.deferred.includes(l.id)) {
        st.deferred = st.deferred.filter((x) => x !== l.id);
        bump(env, deferredCount(l.pid), -1);
      }
      const r = rangeById(s, l.id);
      if (r) {
        r.deferred = false;
        for (const c of children(s, r.id)) {
          c.parent = -1;
          handleOp(env, c, opts);
        }
        handleOp(env, r, opts);
      }
      unlock(env, svmsLock(l.pid));
      unlock(env, mmapLock(l.pid));
      return goto('next');
    },
  });
}
