// The invalidate callback in amdkfd's shape (svm_range_cpu_invalidate_pagetables ->
// svm_range_unmap_from_gpus): under the notifier lock, bump the interval's sequence, unmap the
// range from the GPU with a page-table job on the copy engine and wait for its dma_fence (rule 4:
// waiting on a dma_fence inside the notifier is allowed). It takes no dma_resv and waits on no
// hmm_fence; the broken policies do one or the other.
import { publishJob } from '../../model/fence/publishJob.js';
import { spawn } from '../../model/engine.js';
import { fenceBlock, waitFence } from '../../model/fence/waitFence.js';
import { tryLock, unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { block, count, defineProc, goto, ret, type Proc } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { notifierLock, type FenceDriverState } from './fenceDriverState.js';
import { driverState } from '../../model/touched.js';

/** Locals of the fence policies' invalidate, for variants that replace a step. */
export interface FenceInvalidateLocals {
  nid: number;
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  seq: number;
  /** Fences still to wait for. */
  waits: number[];
}

type L = FenceInvalidateLocals;

function mapsAny(s: State, gpu: number, pid: number, start: number, end: number): boolean {
  const t = s.gpuPt[gpu]?.[pid] ?? [];
  for (let v = start; v < end; v++) if (t[v]) return true;
  return false;
}

/** The process is going away: once its last file reference (a submission in flight) is gone, its buffers are released. */
function releaseBos(s: State, pid: number): void {
  const d = driverState<FenceDriverState>(s);
  if (d.exiting.includes(pid)) return;
  d.exiting.push(pid);
  spawn(s, 'kworker', -1, 'drv:bo_release', { pid, i: -1 });
}

/**
 * invalidate - svm_range_cpu_invalidate_pagetables -> svm_range_unmap_from_gpus (kfd's shape):
 * under the notifier lock, mmu_interval_set_seq, unmap the range with a page-table job on the copy
 * engine and wait for its dma_fence; a release also queues the process's buffers for release.
 *
 * Context: inside mmu_notifier_invalidate_range_start; takes the notifier lock (may block) and
 * waits for a dma_fence (allowed there: rule 4); takes no dma_resv, waits on no hmm_fence.
 * Return: true.
 */
export const fenceInvalidate: Proc = defineProc<L>('invalidate', {
  start(env, l) {
    if (!tryLock(env, notifierLock(l.tag), 'w'))
      return block({ k: 'lock', name: notifierLock(l.tag), mode: 'w' });
    setSeq(env.s, l.nid, l.seq);
    l.waits = [];
    if (l.event === 'release') releaseBos(env.s, l.pid);
    return goto('unmap');
  },
  unmap(env, l) {
    const s = env.s;
    if (!mapsAny(s, l.tag, l.pid, l.start, l.end)) return goto('next');
    const job = publishJob(env, {
      gpu: l.tag,
      engine: 'sdma',
      kind: 'dma',
      reserved: false,
      deps: [],
      work: { k: 'unmap', pid: l.pid, start: l.start, end: l.end },
      user: false,
      bo: -1,
    });
    if (waitFence(env, job.fence, 'notifier', 'GPU unmap in the MMU notifier'))
      count(env, 'notifier waited for a GPU unmap');
    l.waits.unshift(job.fence);
    return goto('wait');
  },
  next(env, l) {
    const f = l.waits[0];
    if (f === undefined) return goto('done');
    if (waitFence(env, f, 'notifier', 'a job still using the range, in the MMU notifier'))
      count(env, 'notifier waited for a job using the range');
    return goto('wait');
  },
  wait(env, l) {
    const b = fenceBlock(env.s, l.waits[0] ?? -1);
    if (b) return b;
    l.waits.shift();
    return goto('next');
  },
  done(env, l) {
    unlock(env, notifierLock(l.tag));
    return ret(true);
  },
});
