// svm_range_cpu_invalidate_pagetables and svm_range_deferred_list_work. An unmap zaps the GPUs
// synchronously, splits the range (the unmapped part becomes a child to free) and queues the rest
// for the deferred worker, which runs later under mmap_lock for write after draining the retry
// faults still in flight. Other events zap the overlap — except, for the driver's own migrations,
// pages that the migration will not move.
import { spawn } from '../../model/engine.js';
import { gpuZap } from '../../model/gpu.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { mmget, mmput } from '../../model/mmUsers.js';
import { setSeq } from '../../model/notifier.js';
import { block, bump, count, defineProc, emit, goto, ret, type Env, type Proc } from '../../model/proc.js';
import { addToTree, removeFromTree, unmapSplit } from './rangeOps.js';
import { dropNode } from './svmBo.js';
import { ownMigrationKeep } from './ownMigrationKeep.js';
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

/**
 * The list half of svm_range_add_list_work: queue the range for the deferred worker with `op` (an
 * unmap wins) and schedule the worker. Return: whether the range was newly queued (the caller then
 * owes the entry its mm reference).
 */
export function queueListWork(env: Env, r: SvmRange, op: SvmRange['op']): boolean {
  const st = svmState(env.s);
  let added = false;
  if (r.deferred) {
    if (r.op !== 'unmap') r.op = op;
  } else {
    r.op = op;
    r.deferred = true;
    st.deferred.push(r.id);
    bump(env, deferredCount(r.pid), 1);
    added = true;
  }
  if (!st.worker) {
    st.worker = true;
    spawn(env.s, 'kworker', -1, 'drv:deferred_work', {});
  }
  return added;
}

/**
 * svm_range_add_list_work (kfd_svm.c since 367c9b0f1b87, read at 8f8cc3fb4350 and 006ad514a50c):
 * queue the range, and a newly queued one pins the mm (mmget, "Pairs with mmput in
 * deferred_list_work") so the worker may take its mmap_lock after the process exited.
 *
 * Context: the interval notifier callback (the mm's users are live: the unmapping task holds one).
 */
export function addListWork(env: Env, r: SvmRange, op: SvmRange['op']): void {
  if (queueListWork(env, r, op)) mmget(env.s, r.pid);
}

/** Locals of invalidate, for variants that replace a step. */
export interface SvmInvalidateLocals {
  nid: number;
  /** The range the notifier was inserted for (its id). */
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  owner: number;
  seq: number;
  /** The unmap covers the whole range (SVM_OP_UNMAP_RANGE), else a split (UPDATE_RANGE_NOTIFIER). */
  whole?: boolean;
}

type InvL = SvmInvalidateLocals;

/** The range an invalidation holds the lock of: it cannot go away meanwhile. */
function lockedRange(env: Env, l: InvL): SvmRange {
  const r = rangeById(env.s, l.tag);
  if (!r) throw new Error(`invalidate: svm_range ${l.tag} vanished while its lock was held`);
  return r;
}

/**
 * svm_range_cpu_invalidate_pagetables: the range's mmu_interval_notifier callback. MMU_NOTIFY_UNMAP
 * zaps the GPUs over the unmapped part, splits it off (svm_range_unmap_split) and queues the range
 * for the deferred worker; process teardown (release) frees the ranges; any other event zaps the
 * overlap, except pages the driver's own migration leaves in place.
 *
 * Context: inside mmu_notifier_invalidate_range_start (blockable); takes prange->lock
 * (svm_range_lock), which may block; never svms->lock or mmap_lock (the invalidating thread may
 * hold mmap_lock).
 * Return: true (a blockable invalidation never fails).
 */
export const invalidate: Proc = defineProc<InvL>('invalidate', {
  start(env, l) {
    const s = env.s;
    const r = rangeById(s, l.tag);
    if (!r) return ret(true);
    if (l.event === 'release') return goto('release');
    if (!tryLock(env, rangeLock(r.id), 'w')) return block({ k: 'lock', name: rangeLock(r.id), mode: 'w' });
    setSeq(s, l.nid, l.seq);
    return goto(l.event === 'unmap' ? 'unmap' : 'zap');
  },
  release(env, l) {
    // Process teardown destroys the GPU VM and frees the ranges (svm_range_list_fini).
    const s = env.s;
    const r = rangeById(s, l.tag);
    if (!r) return ret(true);
    for (const c of children(s, r.id)) {
      unmapFromGpus(env, c, c.start, c.last);
      dropNode(s, c);
      dropRange(s, c.id);
    }
    unmapFromGpus(env, r, r.start, r.last);
    removeFromTree(s, r);
    dropNode(s, r);
    dropRange(s, r.id);
    return ret(true);
  },
  unmap(env, l) {
    // svm_range_unmap_from_cpu: the GPUs lose the unmapped pages before the callback returns.
    const s = env.s;
    const r = lockedRange(env, l);
    const last = l.end - 1;
    bump(env, draining(l.pid), 1);
    const whole = l.start <= r.start && last >= r.last;
    for (const c of children(s, r.id)) {
      unmapFromGpus(env, c, l.start, last);
      unmapSplit(s, r, c, l.start, last);
    }
    unmapFromGpus(env, r, l.start, last);
    unmapSplit(s, r, r, l.start, last);
    emit(env, {
      e: 'svm-range',
      pid: l.pid,
      start: l.start,
      last,
      what: whole ? 'unmapped, to be freed' : 'split by munmap',
    });
    l.whole = whole;
    return goto('queue');
  },
  queue(env, l) {
    const r = lockedRange(env, l);
    addListWork(env, r, l.whole ? 'unmap' : 'update');
    unlock(env, rangeLock(r.id));
    return ret(true);
  },
  zap(env, l) {
    const s = env.s;
    const r = lockedRange(env, l);
    const last = l.end - 1;
    const keep = ownMigrationKeep(s, l.event, l.owner, l.pid, l.start, l.end);
    if (keep) count(env, 'own migration: mappings kept');
    for (const c of children(s, r.id)) unmapFromGpus(env, c, l.start, last, keep);
    unmapFromGpus(env, r, l.start, last, keep);
    unlock(env, rangeLock(r.id));
    return ret(true);
  },
});

/** Locals of deferred_work, for variants that replace a step. */
export interface SvmDeferredWorkLocals {
  id: number;
  pid: number;
  /** drain_pagefaults as the drain read it. */
  drain: number;
  /** The range was still queued when taken off the list: its entry's mm reference is ours to drop. */
  queued: boolean;
}

/** svm_range_handle_list_op: free an unmapped range, or (re)insert an added or updated one. */
function handleOp(env: Env, r: SvmRange): void {
  const s = env.s;
  if (r.op === 'unmap') {
    removeFromTree(s, r);
    dropNode(s, r);
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

/**
 * svm_range_deferred_list_work: for each queued range, under mmap_lock for write (after draining
 * the retry faults munmap left in the IH rings: svm_range_drain_retry_fault) and svms->lock,
 * handle the list operation of its children and itself, then drop the entry's mm reference (mmput:
 * the last one, the process gone, runs exit_mmap in the worker).
 *
 * Context: a kworker; takes mmap_lock (write) then svms->lock, both may block; the drain waits for
 * the fault handlers of the faults ahead of its checkpoint. The mm is valid through the reference
 * svm_range_add_list_work took for the entry.
 * Return: 0, once the list is empty.
 */
export const deferredWork: Proc = defineProc<SvmDeferredWorkLocals>('deferred_work', {
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
    l.queued = st.deferred.includes(l.id);
    if (l.queued) {
      st.deferred = st.deferred.filter((x) => x !== l.id);
      bump(env, deferredCount(l.pid), -1);
    }
    return goto('ops');
  },
  ops(env, l) {
    const s = env.s;
    const r = rangeById(s, l.id);
    if (r) {
      r.deferred = false;
      for (const c of children(s, r.id)) {
        c.parent = -1;
        handleOp(env, c);
      }
      handleOp(env, r);
    }
    unlock(env, svmsLock(l.pid));
    unlock(env, mmapLock(l.pid));
    return goto('put');
  },
  put(env, l) {
    // "Pairs with mmget in svm_range_add_list_work": the last reference runs exit_mmap here.
    if (!l.queued) return goto('next');
    return mmput(env, l.pid, 'next');
  },
});
