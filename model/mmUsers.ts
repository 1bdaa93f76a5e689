// mm_users: the references that keep an address space (its VMAs, page tables and notifiers)
// alive apart from the task that owns it (include/linux/sched/mm.h, kernel/fork.c). The task's own
// reference is dropped by exit_mm() -> mmput(); the last mmput() runs __mmput() -> exit_mmap():
// mmu_notifier_release(), the VMAs unmapped and the pages freed. A driver that keeps using the mm
// from deferred work pins it with mmget() (or mmget_not_zero(), which fails once mm_users reached
// 0) and drops the pin with mmput() — which then runs exit_mmap() itself when it was the last —
// or mmput_async(), which leaves it to a kworker (mmput_async_fn).
//
// In State a process carries: `alive` — the mm has not been torn down (exit_mmap has not run);
// `exited` — the task is gone while pins keep the mm (absent while the task runs); `mmRefs` — the
// pins taken by mmget (absent: none); `exiting` — mm_users reached 0 and exit_mmap is pending or
// running (absent otherwise). With no pin, exit is the task's exit and the teardown in one
// procedure (sys_exit), exactly as before mm_users was modelled.
import { KernelBug } from './kernelBug.js';
import { call, goto, type Env, type StepResult } from './proc.js';
import { spawn } from './spawn.js';
import type { State } from './types.js';
import { MM, mut } from './touched.js';

/** The task is running: its threads issue system calls and touch memory (current->mm is set). */
export function taskAlive(s: State, pid: number): boolean {
  const p = s.procs[pid];
  return !!p && p.alive && !p.exited;
}

/** mm_users > 0: nobody has started tearing the mm down (atomic_read(&mm->mm_users)). */
export function mmUsersLive(s: State, pid: number): boolean {
  const p = s.procs[pid];
  return !!p && p.alive && !p.exiting;
}

function notFreed(s: State, pid: number, what: string): void {
  const p = s.procs[pid];
  if (!p) throw new Error(`${what}: no process ${pid}`);
  if (!p.alive || p.exiting)
    throw new KernelBug('driver-object-lifetime', 'memory-safety', {
      code: 'mm-use-after-free',
      at: { pid },
      data: { fn: what, pid, exitMmap: p.alive ? 'pending' : 'ran' },
    });
}

/**
 * mmget - take a reference on an mm whose users the caller knows to be live (it holds one, or the
 * task is current). On an mm whose users already reached 0 it is a use-after-free.
 */
export function mmget(s: State, pid: number): void {
  notFreed(s, pid, 'mmget');
  const p = s.procs[pid];
  if (p) mut(MM, p).mmRefs = (p.mmRefs ?? 0) + 1;
}

/** mmget_not_zero - a reference only if mm_users is not 0 yet. Return: whether it was taken. */
export function mmgetNotZero(s: State, pid: number): boolean {
  if (!mmUsersLive(s, pid)) return false;
  mmget(s, pid);
  return true;
}

/**
 * get_task_mm - the task's mm with a reference, if the task still has one (exit_mm() clears
 * task->mm before its mmput). Return: whether a reference was taken.
 */
export function getTaskMm(s: State, pid: number): boolean {
  if (!taskAlive(s, pid)) return false;
  mmget(s, pid);
  return true;
}

/** Drops one pin; true when it was the last reference (the task gone too): exit_mmap must run. */
function put(s: State, pid: number, what: string): boolean {
  notFreed(s, pid, what);
  const p = s.procs[pid];
  if (!p) return false;
  const refs = p.mmRefs ?? 0;
  if (refs === 0)
    throw new KernelBug('driver-object-lifetime', 'memory-safety', {
      code: 'mm-users-underflow',
      at: { pid },
      data: { fn: what, pid },
    });
  const w = mut(MM, p);
  if (refs === 1) delete w.mmRefs;
  else w.mmRefs = refs - 1;
  if (refs > 1 || !p.exited) return false;
  w.exiting = true;
  return true;
}

/**
 * mmput - drop a reference; the last one runs exit_mmap() in the caller (__mmput), which takes
 * mmap_lock and calls the MMU notifiers' release: the caller must hold neither. Resumes at `pc`.
 */
export function mmput(env: Env, pid: number, pc: string): StepResult {
  if (!put(env.s, pid, 'mmput')) return goto(pc);
  return call('exit_mmap', { pid, locked: false }, pc);
}

/** mmput_async - drop a reference; the last one leaves exit_mmap() to a kworker (mmput_async_fn). */
export function mmputAsync(env: Env, pid: number): void {
  if (put(env.s, pid, 'mmput_async')) spawn(env.s, 'kworker', -1, 'exit_mmap', { pid, locked: false });
}
