// A job from submission to signal, in one activity: the GPU scheduler waits for its dependencies
// (drm_sched_job_dependency), the job takes its engine and runs (run_job, then the hardware),
// and completion signals its fence. A memory access through an invalid GPU PTE stalls the job on a
// recoverable page fault until the driver resolves it; an engine that can preempt faulting work
// lets go of the job meanwhile, one that cannot stays blocked behind it (dma-buf.rst,
// "Recoverable Hardware Page Faults Implications").
import { match } from 'ts-pattern';
import { driverProcName } from '../driver.js';
import { gpuPte, gpuZap } from '../gpu.js';
import { tryLock, unlock } from '../locks.js';
import { fenceMap, GPU_PAGE_FAULT } from '../lockdep/pseudoLocks.js';
import { enterSection, leaveSection } from '../lockdep/sections.js';
import { block, call, count, defineProc, emit, goto, ret, spinTo, yieldTo, type Env } from '../proc.js';
import type { State } from '../types.js';
import { engineSlot, ENGINES } from './engines.js';
import type { Fence, Job } from './types.js';
import { signalFence } from './signalFence.js';
import { fenceBlock, waitFence } from './waitFence.js';
import { SYNC, mut } from '../touched.js';

interface L {
  job: number;
  /** Next dependency to wait for. */
  i: number;
  /** Holds its engine slot. */
  slot: boolean;
}

function jobOf(s: State, id: number): { j: Job; f: Fence } {
  const j = s.sync.jobs[id];
  const f = j ? s.sync.fences[j.fence] : undefined;
  if (!j || !f) throw new Error(`gpu_job: no job ${id}`);
  return { j, f };
}

const slotOf = (j: Job): string => engineSlot(j.gpu, j.engine, j.reserved);

/** Whether the job's memory access can go through the GPU page table right now. */
function translates(env: Env, j: Job): boolean {
  if (j.work.k !== 'access') return true;
  const pte = gpuPte(env, j.gpu, j.work.pid, j.work.vpn);
  return !!pte && (!j.work.write || pte.w);
}

export const gpuJob = defineProc<L>('gpu_job', {
  start(env, l) {
    const { f } = jobOf(env.s, l.job);
    // The fence is visible from submission on: all that leads to its signal is its signalling path.
    enterSection(env, fenceMap(f.kind));
    l.i = 0;
    l.slot = false;
    return goto('dep');
  },
  dep(env, l) {
    const { j } = jobOf(env.s, l.job);
    const d = j.deps[l.i];
    if (d === undefined) return goto('ready');
    waitFence(env, d, 'job-dependency', 'job dependency');
    return goto('depWait');
  },
  depWait(env, l) {
    const { j } = jobOf(env.s, l.job);
    const b = fenceBlock(env.s, j.deps[l.i] ?? -1);
    if (b) return b;
    l.i++;
    return goto('dep');
  },
  ready(env, l) {
    mut(SYNC, jobOf(env.s, l.job).f).ready = env.step;
    return goto('slot');
  },
  slot(env, l) {
    const { j } = jobOf(env.s, l.job);
    const name = slotOf(j);
    if (!tryLock(env, name, 'w')) {
      const holder = env.s.acts.find((a) => a.id === env.s.locks[name]?.w);
      if (holder?.held.includes(GPU_PAGE_FAULT))
        count(env, 'job waited behind a job stalled on a page fault');
      return block({ k: 'lock', name, mode: 'w' });
    }
    l.slot = true;
    if (env.procs.has(driverProcName('run_job')))
      return call(driverProcName('run_job'), { job: j.id }, 'exec');
    return goto('exec');
  },
  exec(env, l) {
    const { j } = jobOf(env.s, l.job);
    return match(j.work)
      .with({ k: 'access' }, () => goto('access'))
      .with({ k: 'render' }, () => yieldTo('done'))
      .with({ k: 'unmap' }, (w) => {
        gpuZap(env, j.gpu, w.pid, w.start, w.end);
        return yieldTo('done');
      })
      .exhaustive();
  },
  access(env, l) {
    const { j } = jobOf(env.s, l.job);
    if (j.work.k !== 'access') throw new Error('gpu_job: access step of a job that does not access memory');
    const { pid, vpn, write } = j.work;
    if (!env.s.procs[pid]?.alive) {
      emit(env, { e: 'gpu-error', gpu: j.gpu, pid, vpn, write, err: 'ESRCH' });
      return goto('done');
    }
    if (translates(env, j)) return call('gpu_access', { gpu: j.gpu, pid, vpn, write }, 'done');
    emit(env, { e: 'gpu-fault', gpu: j.gpu, pid, vpn, write });
    count(env, 'job stalled on a GPU page fault');
    if (ENGINES[j.engine].preempt) {
      // The engine saves the job's context and runs other work while the fault is handled.
      unlock(env, slotOf(j));
      l.slot = false;
      count(env, 'faulting job preempted off its engine');
    }
    return call('gpu_fault_handler', { gpu: j.gpu, pid, vpn, write }, 'faulted');
  },
  faulted(env, l, r) {
    const { j } = jobOf(env.s, l.job);
    if (r !== 0) {
      if (j.work.k === 'access')
        emit(env, {
          e: 'gpu-error',
          gpu: j.gpu,
          pid: j.work.pid,
          vpn: j.work.vpn,
          write: j.work.write,
          err: String(r),
        });
      return goto('done');
    }
    if (!l.slot) return goto('resume');
    return translates(env, j) ? goto('access') : spinTo('access');
  },
  resume(env, l) {
    const { j } = jobOf(env.s, l.job);
    const name = slotOf(j);
    if (!tryLock(env, name, 'w')) return block({ k: 'lock', name, mode: 'w' });
    l.slot = true;
    return translates(env, j) ? goto('access') : spinTo('access');
  },
  done(env, l) {
    const { j, f } = jobOf(env.s, l.job);
    if (l.slot) unlock(env, slotOf(j));
    l.slot = false;
    signalFence(env, j.fence);
    leaveSection(env, fenceMap(f.kind));
    return ret(0);
  },
});
