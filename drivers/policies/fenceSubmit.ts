// Command submission under a fence policy. The reference: a job that touches SVM memory may stall
// on page faults, so it gets an hmm_fence (dma-buf.rst: "any workload using recoverable page faults
// cannot use DMA fences"); other jobs get a dma_fence and, on an engine that cannot preempt
// faulting work, run in resources reserved for dma_fence work (Kuehling, seed 003). An hmm_fence
// dependency of a new dma_fence is waited for before any lock is taken (König's rule 6), and
// hmm_fences stay out of dma_resv ("HMM fences are ignored in container objects").
import { boFor, boResv, dmaResvLock, unsignaledFences } from '../../model/fence/dmaResv.js';
import { ENGINES } from '../../model/fence/engines.js';
import { mightAlloc } from '../../model/fence/mightAlloc.js';
import { publishJob } from '../../model/fence/publishJob.js';
import type { SubmitArgs } from '../../model/fence/submitIoctl.js';
import type { FenceKind } from '../../model/fence/types.js';
import { fenceBlock, waitFence } from '../../model/fence/waitFence.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage } from '../../model/mem.js';
import { block, bump, call, count, defineProc, goto, ret, type Proc } from '../../model/proc.js';
import { freeVramPages, mirrorNotifier, submitsInFlight } from './fenceDriverState.js';
import { SYNC, mut } from '../../model/touched.js';

/** Locals of the fence policies' submit, for variants that replace a step. */
export interface FenceSubmitLocals extends SubmitArgs {
  kind: FenceKind;
  reserved: boolean;
  /** The buffer object's id, -1 for none. */
  boId: number;
  /** Where to go once the dependency wait is over. */
  after: string;
}

type L = FenceSubmitLocals;

/**
 * submit - the command submission ioctl (amdgpu_cs_ioctl's shape): pick the job's fence kind
 * (an hmm_fence for a job that may fault), wait for an hmm_fence dependency of a new dma_fence
 * before any lock (rule 6), reserve and validate its buffer (TTM may evict), publish the job.
 *
 * Context: process context; takes mmap_lock for read briefly, then the buffer's dma_resv (may
 * block); waits on fences.
 * Return: the job's id, or 'ESRCH' (the process has exited).
 */
export const fenceSubmit: Proc = defineProc<L>('submit', {
  start(env, l) {
    const s = env.s;
    // Under mmap_lock, as exit holds it: a process that has exited has no GPU context any more.
    if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    if (!s.procs[l.pid]?.alive) {
      unlock(env, mmapLock(l.pid));
      return ret('ESRCH');
    }
    // The process's GPU context registers its notifier (kfd_process_create): its exit releases the BOs.
    mirrorNotifier(s, l.gpu, l.pid);
    l.boId = l.bo >= 0 ? boFor(s, l.pid, l.gpu, l.bo).id : -1;
    unlock(env, mmapLock(l.pid));
    bump(env, submitsInFlight(l.pid), 1);
    return goto('classify');
  },
  classify(_env, l) {
    // Jobs that may fault get an hmm_fence; dma_fence jobs on an engine that cannot preempt
    // faulting work run in reserved resources (Kuehling, seed 003).
    l.kind = l.svm ? 'hmm' : 'dma';
    l.reserved = l.kind === 'dma' && !ENGINES[l.engine].preempt;
    return goto('rule6');
  },
  rule6(env, l) {
    const dep = env.s.sync.fences[l.dep];
    if (l.kind === 'dma' && dep?.kind === 'hmm') {
      // Rule 6: an hmm_fence the new dma_fence would depend on is waited for before any lock.
      if (waitFence(env, l.dep, 'dependency', 'hmm_fence dependency of a new dma_fence'))
        count(env, 'hmm_fence dependency waited for before taking locks');
      l.after = 'reserve';
      return goto('depWait');
    }
    return goto('reserve');
  },
  depWait(env, l) {
    const b = fenceBlock(env.s, l.dep);
    if (b) return b;
    // Signalled: the new dma_fence no longer depends on it.
    l.dep = -1;
    return goto(l.after);
  },
  reserve(env, l) {
    if (l.boId < 0) return goto('publish');
    if (!dmaResvLock(env, boResv(l.boId))) return block({ k: 'lock', name: boResv(l.boId), mode: 'w' });
    return goto('validate');
  },
  validate(env, l) {
    const bo = env.s.sync.bos[l.boId];
    if (!bo || bo.page >= 0) return goto('publish');
    // ttm_bo_validate into VRAM: allocating its backing may evict another buffer object.
    mightAlloc(env, `the VRAM backing of BO ${l.boId} (ttm_bo_validate)`, 'GFP_KERNEL');
    if (freeVramPages(env.s, l.gpu) > 0) return goto('place');
    return call('drv:evict', { gpu: l.gpu, except: l.boId, by: 'eviction', bo: -1 }, 'place');
  },
  place(env, l) {
    const bo = env.s.sync.bos[l.boId];
    // With no VRAM to be had the buffer stays in system memory (GTT), as TTM's fallback placement.
    if (bo) mut(SYNC, bo).page = allocDevPage(env.s, l.gpu);
    return goto('publish');
  },
  publish(env, l) {
    const s = env.s;
    const job = publishJob(env, {
      gpu: l.gpu,
      engine: l.engine,
      kind: l.kind,
      reserved: l.reserved,
      deps: l.dep >= 0 ? [l.dep] : [],
      work: l.svm ? { k: 'access', pid: l.pid, vpn: l.vpn, write: l.write } : { k: 'render' },
      user: true,
      bo: l.boId,
    });
    const bo = s.sync.bos[l.boId];
    if (bo) {
      const fences = unsignaledFences(s, bo);
      if (l.kind === 'dma') fences.push(job.fence);
      mut(SYNC, bo).fences = fences;
      unlock(env, boResv(l.boId));
    }
    bump(env, submitsInFlight(l.pid), -1);
    return ret(job.id);
  },
});
