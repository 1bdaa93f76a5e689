// svm_range_evict (kfd_svm.c at 006ad514a50c): what an invalidation other than munmap does to a range.
import { spawn } from '../../model/engine.js';
import { count, type Env } from '../../model/proc.js';
import { quiesceMm } from '../../model/queues.js';
import type { NotifyEvent } from '../../model/events.js';
import { FLAG_GPU_ALWAYS_MAPPED } from '../../model/uapi.js';
import { children } from '../svm/svmState.js';
import type { SvmRange } from '../svm/svmState.js';
import {
  evictedRangesOf,
  invalidOf,
  kfdState,
  mappedToGpu,
  setEvictedRanges,
  setInvalid,
} from './kfdState.js';
import { kfdUnmapFromGpus } from './kfdUnmapFromGpus.js';
import { ALWAYS_MAPPED_EVICTED, EVICT_SKIPS_UNMAPPED_RANGE } from './kfdUpstreamMarks.js';

/** queue_delayed_work(&svms->restore_work): a no-op while one is queued and not started. */
export function queueRestoreWork(env: Env, pid: number): void {
  const st = kfdState(env.s);
  if (st.restorePending.includes(pid)) return;
  st.restorePending.push(pid);
  spawn(env.s, 'kworker', -1, 'drv:restore_work', { pid });
}

/**
 * svmRangeEvict - svm_range_evict(): with XNACK off (or a GPU_ALWAYS_MAPPED range), count the
 * eviction on every mapped piece overlapping [start, last] (prange->invalid) and on the process
 * (svms->evicted_ranges); the first outstanding eviction stops the queues (svmRangeEvictQuiesce,
 * its caller's next step). The GPU page tables are left as they are, unreachable while the queues
 * are stopped. With XNACK on, unmap the overlap from the GPUs, whatever the event
 * (MMU_NOTIFY_MIGRATE only changes the SMI trigger): the next GPU access retries and faults it back.
 *
 * Context: the interval notifier callback, with the range's lock held; does not sleep.
 * Return: true on the process's first outstanding eviction ("First eviction, stop the queues").
 */
export function svmRangeEvict(
  env: Env,
  r: SvmRange,
  start: number,
  last: number,
  _event: NotifyEvent,
): boolean {
  const s = env.s;
  if (s.cfg.xnack === 'off' || r.a.flags & FLAG_GPU_ALWAYS_MAPPED) {
    if (s.cfg.xnack !== 'off') count(env, ALWAYS_MAPPED_EVICTED);
    let mapped = mappedToGpu(r);
    for (const c of children(s, r.id)) {
      if (!mappedToGpu(c)) continue;
      mapped = true;
      if (c.start <= last && c.last >= start) setInvalid(c, invalidOf(c) + 1);
    }
    if (!mapped) {
      if (r.a.access | r.a.aip) count(env, EVICT_SKIPS_UNMAPPED_RANGE);
      return false;
    }
    if (r.start <= last && r.last >= start) setInvalid(r, invalidOf(r) + 1);
    const evicted = evictedRangesOf(s, r.pid) + 1;
    setEvictedRanges(s, r.pid, evicted);
    return evicted === 1;
  }
  for (const c of children(s, r.id)) kfdUnmapFromGpus(env, c, start, last);
  kfdUnmapFromGpus(env, r, start, last);
  return false;
}

/**
 * svmRangeEvictQuiesce - the rest of svm_range_evict() on the first eviction: stop all the
 * process's queues (kgd2kfd_quiesce_mm) and queue restore_work, which resumes them.
 *
 * Context: as svmRangeEvict.
 * Return: nothing.
 */
export function svmRangeEvictQuiesce(env: Env, pid: number): void {
  count(env, 'svm_range_evict: queues quiesced');
  quiesceMm(env, pid);
  queueRestoreWork(env, pid);
}
