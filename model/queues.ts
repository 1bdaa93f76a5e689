// A process's user-mode GPU queues, as amdkfd stops and restarts them: kgd2kfd_quiesce_mm() evicts
// every queue of the process (kfd_process_evict_queues, a count per device: qpd->evicted) and
// kgd2kfd_resume_mm() restores them when the count drops back to 0. While they are evicted no GPU
// runs the process's work, so its GPU page tables may lag behind the CPU's (XNACK off): the GPU
// cannot reach them. Read in kfd_svm.c at 006ad514a50c (svm_range_evict, svm_range_restore_work).
import { emit, type Env } from './proc.js';
import { MM, mut } from './touched.js';
import type { State } from './types.js';

/** Whether the GPUs run process pid's work now: alive and its queues not evicted. */
export function queuesRun(s: State, pid: number): boolean {
  const p = s.procs[pid];
  return !!p && p.alive && !(p.evicted ?? 0);
}

/** Whether process pid is alive with its queues evicted: its GPU page tables are unreachable now. */
export function queuesEvicted(s: State, pid: number): boolean {
  const p = s.procs[pid];
  return !!p && p.alive && (p.evicted ?? 0) > 0;
}

/**
 * kgd2kfd_quiesce_mm - evict all the process's queues.
 *
 * Context: any; does not sleep in the model (the kernel waits for the queues to be unmapped from
 * the hardware, which the model makes atomic with the call).
 * Return: the eviction count after the call.
 */
export function quiesceMm(env: Env, pid: number): number {
  const p = env.s.procs[pid];
  if (!p) throw new Error(`kgd2kfd_quiesce_mm: no process ${pid}`);
  const n = (p.evicted ?? 0) + 1;
  mut(MM, p).evicted = n;
  emit(env, { e: 'queues', pid, what: 'quiesce', evicted: n });
  return n;
}

/**
 * kgd2kfd_resume_mm - drop one eviction; the queues run again when none is left.
 *
 * Context: any.
 * Return: the eviction count after the call (0: the queues run).
 */
export function resumeMm(env: Env, pid: number): number {
  const p = env.s.procs[pid];
  if (!p) throw new Error(`kgd2kfd_resume_mm: no process ${pid}`);
  const n = Math.max(0, (p.evicted ?? 0) - 1);
  const w = mut(MM, p);
  if (n === 0) delete w.evicted;
  else w.evicted = n;
  emit(env, { e: 'queues', pid, what: 'resume', evicted: n });
  return n;
}
