// CPUs and the kernel's preemption model. An activity runs kernel code on a CPU; whether it gives
// the CPU up at the end of a step depends on why the step ended and on the preemption model:
//
//   step ended at                       NONE   VOLUNTARY   FULL
//   sleep (block), return, op end       yes    yes         yes
//   retry through a scheduling point    yes    yes         yes   (return to user, next work item)
//   a yield (might_sleep() code)        no     yes         yes
//   a busy loop (cpu_relax, no resched) no     no          yes
//
// A model `yield` is a point in code that may sleep (a lock, a wait, an allocation): might_sleep()
// is a preemption point under PREEMPT_VOLUNTARY only (include/linux/kernel.h, might_resched()).
// Under PREEMPT_NONE a task gives its CPU up only when it sleeps, calls cond_resched() or returns
// to user space (kernel/sched/core.c, 6.1). A step that keeps its CPU leaves `cpu` set: nothing
// else runs there until the activity sleeps, returns or reaches a point that lets go.
//
// Work queued on a per-CPU workqueue (schedule_work() on system_wq: __queue_work() picks
// raw_smp_processor_id() for WORK_CPU_UNBOUND on a bound workqueue, kernel/workqueue.c 6.1) runs
// only on the CPU that queued it. So a task spinning on a CPU, waiting for something that work
// queued there must do, never gets it: a soft lockup (kernel/watchdog.c) — on NONE and VOLUNTARY;
// FULL preempts the spinner.
//
// With `cpus` absent, CPUs are not modelled: every activity may run at every step, as before.
import type { Activity, Config, State } from './types.js';

export type PreemptModel = 'none' | 'voluntary' | 'full';

/** Debian 12's kernel configuration (linux-config-6.1 and -6.12, amd64): CONFIG_PREEMPT_VOLUNTARY=y. */
export const DEFAULT_PREEMPT: PreemptModel = 'voluntary';

export const preemptModel = (cfg: Config): PreemptModel => cfg.preempt ?? DEFAULT_PREEMPT;

/** How a step ended, for the CPU: the StepOutcome plus, for a yield, its kind. */
export type StepEnd = 'sleep' | 'resched' | 'yield' | 'busy';

/** Whether a task whose step ended so may lose its CPU under the model. */
export function givesUpCpu(model: PreemptModel, end: StepEnd): boolean {
  switch (end) {
    case 'sleep':
    case 'resched':
      return true;
    case 'yield':
      return model !== 'none';
    case 'busy':
      return model === 'full';
  }
}

/**
 * GPU hardware runs on the GPU, not on a CPU: a job (gpu_job, whose translation may stall) and work
 * a driver puts on one of a device's engines, whose agent names the device and the engine
 * (`gpuN <engine> ...`; a bare `gpuN` is the device's fault handling, which runs on a CPU).
 */
export const needsCpu = (a: Activity): boolean => a.frames[0]?.fn !== 'gpu_job' && !/^gpu\d+ /.test(a.agent);

/** The activity holding CPU c, if any. */
export function holderOf(s: State, c: number): Activity | undefined {
  for (const a of s.acts) if (a.cpu === c) return a;
  return undefined;
}

/**
 * The CPU a program thread or a GPU's fault handling runs on while that CPU is free: thread `cpuN`
 * and device `gpuN` on CPU N mod cpus, -1 for kernel work. The scheduler keeps a task where it ran
 * (select_task_rq_fair() starts from prev_cpu, kernel/sched/fair.c); the model gives each agent one
 * such CPU, so a program places work on different CPUs by running it on different threads.
 */
function homeCpu(agent: string, n: number): number {
  const m = /^(?:cpu|gpu)(\d+)$/.exec(agent);
  return m ? Number(m[1]) % n : -1;
}

/**
 * The CPU `a` would run on now (an unstarted operation: `a` null), or -1 when every CPU it may run
 * on is kept by another activity: its bound CPU for per-CPU work, else its agent's home CPU when
 * free, else the lowest free one. With CPUs not modelled, 0.
 */
export function cpuFor(s: State, a: Activity | null): number {
  const n = s.cfg.cpus;
  if (n === undefined) return 0;
  if (a && (a.cpu >= 0 || !needsCpu(a))) return Math.max(a.cpu, 0);
  let held = 0;
  for (const x of s.acts) if (x.cpu >= 0) held |= 1 << x.cpu;
  if (a && a.bound >= 0) return held & (1 << a.bound) ? -1 : a.bound;
  const home = a ? homeCpu(a.agent, n) : -1;
  if (home >= 0 && !(held & (1 << home))) return home;
  for (let c = 0; c < n; c++) if (!(held & (1 << c))) return c;
  return -1;
}

/** The CPUs kept by activities, and the runnable activities left without one (for lockup reports). */
export function starvedOfCpu(s: State, runnable: (a: Activity) => boolean): Activity[] {
  if (s.cfg.cpus === undefined) return [];
  return s.acts.filter((a) => a.cpu < 0 && needsCpu(a) && runnable(a) && cpuFor(s, a) < 0);
}
