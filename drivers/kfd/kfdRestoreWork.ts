// svm_range_restore_work (kfd_svm.c at 006ad514a50c): XNACK off, the delayed work that revalidates
// the evicted ranges of a process and restarts its queues.
import { instanceName } from '../../model/instanceName.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { block, call, count, defineProc, goto, ret, type Env, type StepResult } from '../../model/proc.js';
import { getTaskMm, mmput } from '../../model/mmUsers.js';
import { resumeMm } from '../../model/queues.js';
import { deferredCount, rangeById, svmsLock, treeRangesView } from '../svm/svmState.js';
import { queueRestoreWork } from './kfdEvict.js';
import { kfdMapBitmap } from './kfdMapBitmap.js';
import { evictedRangesOf, invalidOf, kfdState, setEvictedRanges, setInvalid } from './kfdState.js';

/** A work item never runs on two CPUs at once (the workqueue's non-reentrancy), modelled as a lock. */
export const restoreWorkLock = instanceName('svm_restore_work');

/** Locals of restore_work (svm_range_restore_work). */
export interface KfdRestoreLocals {
  pid: number;
  /** svms->evicted_ranges as read under the locks. */
  evicted: number;
  /** The process's ranges (svms->list), left to look at. */
  todo: number[];
  cur: number;
  /** The range's prange->invalid as read before validating it. */
  invalid: number;
}

type L = KfdRestoreLocals;

function leave(env: Env, l: L, again: boolean): StepResult {
  unlock(env, svmsLock(l.pid));
  unlock(env, mmapLock(l.pid));
  unlock(env, restoreWorkLock(l.pid));
  // "If validation failed, reschedule another attempt": queue_delayed_work(restore_work).
  if (again) {
    count(env, 'restore_work rescheduled');
    queueRestoreWork(env, l.pid);
  }
  // mmput(mm) of get_task_mm's reference: the last one (the process exited meanwhile) runs exit_mmap.
  return mmput(env, l.pid, 'out');
}

/**
 * restore_work - svm_range_restore_work(): nothing to do without evicted ranges or once the mm is
 * gone; else take mmap_lock for write with the deferred list flushed
 * (svm_range_list_lock_and_flush_work) and svms->lock, validate and map every range whose
 * prange->invalid is set, clearing it only if no eviction came meanwhile (atomic_cmpxchg), and
 * restart the queues (kgd2kfd_resume_mm) only if svms->evicted_ranges did not move either. A failed
 * validation or a racing eviction reschedules the work with the queues still stopped.
 *
 * Context: a kworker (system_freezable_wq); sleeps on mmap_lock, svms->lock and in validation.
 * Return: 0.
 */
export const kfdRestoreWork = defineProc<L>('restore_work', {
  start(env, l) {
    const b = lockOrBlock(env, restoreWorkLock(l.pid), 'w');
    if (b) return b;
    const st = kfdState(env.s);
    st.restorePending = st.restorePending.filter((p) => p !== l.pid);
    // get_task_mm(p->lead_thread) fails once the task has exited; else the reference keeps the mm
    // valid until the mmput at the end (6225bb3a88d2: "svm_range_restore_work take task->mm ref").
    if (!evictedRangesOf(env.s, l.pid) || !getTaskMm(env.s, l.pid)) {
      unlock(env, restoreWorkLock(l.pid));
      return ret(0);
    }
    return goto('flush');
  },
  flush(env, l) {
    if ((env.s.counters[deferredCount(l.pid)] ?? 0) > 0)
      return block({ k: 'counter', key: deferredCount(l.pid), until: 0 });
    return goto('mm');
  },
  mm(env, l) {
    const b = lockOrBlock(env, mmapLock(l.pid), 'w');
    if (b) return b;
    if ((env.s.counters[deferredCount(l.pid)] ?? 0) > 0) {
      unlock(env, mmapLock(l.pid));
      return goto('flush');
    }
    return goto('svms');
  },
  svms(env, l) {
    const b = lockOrBlock(env, svmsLock(l.pid), 'w');
    if (b) return b;
    l.evicted = evictedRangesOf(env.s, l.pid);
    l.todo = treeRangesView(env.s, l.pid).map((r) => r.id);
    return goto('next');
  },
  next(env, l) {
    for (let id = l.todo.shift(); id !== undefined; id = l.todo.shift()) {
      const r = rangeById(env.s, id);
      if (!r || !invalidOf(r)) continue;
      l.cur = id;
      l.invalid = invalidOf(r);
      const gpus = kfdMapBitmap(env.s, r);
      return call('drv:validate_and_map', { rid: r.id, start: r.start, last: r.last, gpus }, 'mapped');
    }
    return goto('resume');
  },
  mapped(env, l, res) {
    if (res !== 0) return leave(env, l, true);
    const r = rangeById(env.s, l.cur);
    // atomic_cmpxchg(&prange->invalid, invalid, 0) != invalid: evicted again while validating.
    if (!r || invalidOf(r) !== l.invalid) return leave(env, l, true);
    setInvalid(r, 0);
    return goto('next');
  },
  resume(env, l) {
    // atomic_cmpxchg(&svms->evicted_ranges, evicted_ranges, 0) != evicted_ranges.
    if (evictedRangesOf(env.s, l.pid) !== l.evicted) return leave(env, l, true);
    setEvictedRanges(env.s, l.pid, 0);
    resumeMm(env, l.pid);
    count(env, 'restore_work: queues resumed');
    return leave(env, l, false);
  },
  out() {
    return ret(0);
  },
});
