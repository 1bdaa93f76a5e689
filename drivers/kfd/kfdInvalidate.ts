// svm_range_cpu_invalidate_pagetables and svm_range_unmap_from_cpu (kfd_svm.c at 006ad514a50c).
import { spawn } from '../../model/engine.js';
import type { NotifyEvent } from '../../model/events.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { bump, count, defineProc, emit, goto, ret, type Env, type Proc } from '../../model/proc.js';
import { unmapSplit } from '../svm/rangeOps.js';
import { addListWork, type SvmInvalidateLocals } from '../svm/svmNotifier.js';
import { children, draining, rangeById, rangeLock, type SvmRange } from '../svm/svmState.js';
import { svmRangeEvict, svmRangeEvictQuiesce } from './kfdEvict.js';
import { invalidOf, kfdState } from './kfdState.js';
import { EVICTED_RANGE_SPLIT } from './kfdUpstreamMarks.js';
import { kfdUnmapFromGpus } from './kfdUnmapFromGpus.js';

/**
 * svm_range_unmap_from_cpu(): ask the deferred worker to drain the retry faults
 * (svms->drain_pagefaults), unmap the overlap from the GPUs of every piece, split the unmapped part
 * off (svm_range_unmap_split) and queue the range: to be freed if the unmap covers it, else to have
 * its notifier and interval tree entry updated.
 */
function unmapFromCpu(env: Env, r: SvmRange, start: number, last: number): void {
  const s = env.s;
  bump(env, draining(r.pid), 1);
  const whole = start <= r.start && last >= r.last;
  const cut = (x: SvmRange): boolean =>
    x.start <= last && x.last >= start && (x.start < start || x.last > last);
  if ([r, ...children(s, r.id)].some((x) => invalidOf(x) > 0 && cut(x))) count(env, EVICTED_RANGE_SPLIT);
  for (const c of children(s, r.id)) {
    kfdUnmapFromGpus(env, c, start, last);
    unmapSplit(s, r, c, start, last);
  }
  kfdUnmapFromGpus(env, r, start, last);
  unmapSplit(s, r, r, start, last);
  emit(env, {
    e: 'svm-range',
    pid: r.pid,
    start,
    last,
    what: whole ? 'unmapped, to be freed' : 'split by munmap',
  });
  addListWork(env, r, whole ? 'unmap' : 'update');
}

/** kfd_process_notifier_release -> kfd_process_wq_release: svm_range_list_fini runs once per process. */
function queueListFini(env: Env, pid: number): void {
  const st = kfdState(env.s);
  if (st.fini.includes(pid)) return;
  st.fini.push(pid);
  spawn(env.s, 'kworker', -1, 'drv:list_fini', { pid });
}

/**
 * kfdInvalidate - svm_range_cpu_invalidate_pagetables(): the range's mmu_interval_notifier
 * callback. MMU_NOTIFY_RELEASE returns at once: the process's ranges are torn down later by
 * svm_range_list_fini (kfd_process_notifier_release, then kfd_process_wq_release; the model queues
 * it from the first release callback of the process). Otherwise, under the range's lock, set the
 * sequence and either unmap from the CPU (MMU_NOTIFY_UNMAP) or evict (svm_range_evict: XNACK off
 * stops the queues, XNACK on unmaps the overlap from the GPUs).
 *
 * Context: inside mmu_notifier_invalidate_range_start (blockable); takes prange->lock
 * (svm_range_lock), which may block; never svms->lock or mmap_lock.
 * Return: true (a blockable invalidation never fails).
 */
export const kfdInvalidate: Proc = defineProc<SvmInvalidateLocals>('invalidate', {
  start(env, l) {
    if (l.event === 'release') {
      queueListFini(env, l.pid);
      return ret(true);
    }
    const r = rangeById(env.s, l.tag);
    if (!r) return ret(true);
    const b = lockOrBlock(env, rangeLock(r.id), 'w');
    if (b) return b;
    setSeq(env.s, l.nid, l.seq);
    // Pages; every use below clips them to the piece it touches, as kfd clips to the notifier.
    const start = l.start;
    const last = l.end - 1;
    if (l.event === 'unmap') unmapFromCpu(env, r, start, last);
    else if (svmRangeEvict(env, r, start, last, l.event as NotifyEvent)) return goto('quiesce');
    unlock(env, rangeLock(r.id));
    return ret(true);
  },
  // svm_range_evict's first eviction: the queues stop before the CPU changes its page tables.
  quiesce(env, l) {
    svmRangeEvictQuiesce(env, l.pid);
    unlock(env, rangeLock(l.tag));
    return ret(true);
  },
});
