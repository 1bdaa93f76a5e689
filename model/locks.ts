// Sleeping locks held across preemption points (mmap_lock, driver mutexes, page locks). Taking a
// lock records lockdep-style order edges from every lock the activity already holds.
import { recordDependency } from './lockdep/recordDependency.js';
import type { Env } from './proc.js';
import type { LockState, State, Wait } from './types.js';
import { instanceName } from './instanceName.js';
import { KernelOops } from './kernelOops.js';
import { KernelBug } from './kernelBug.js';

/** Removes xs[i] in place: unlocks are mostly last-in first-out, and splice allocates the removed part. */
function removeAt<T>(xs: T[], i: number): void {
  for (let k = i + 1; k < xs.length; k++) xs[k - 1] = xs[k] as T;
  xs.pop();
}

/**
 * An empty lock table, a dictionary from the start: unlock deletes names, which turns an ordinary
 * object into a dictionary anyway, by copying it, once per state the table belongs to.
 */
export function emptyLockTable(): Record<string, LockState> {
  return Object.create(null) as Record<string, LockState>;
}

function lockState(s: State, name: string): LockState {
  let l = s.locks[name];
  if (!l) {
    l = { w: -1, r: [] };
    s.locks[name] = l;
  }
  return l;
}

/**
 * Whether the lock can be taken now. A reader also waits while a writer is queued on the lock
 * (rwsem_down_read_slowpath: with RWSEM_FLAG_WAITERS set a new reader queues behind the waiting
 * writer instead of joining the readers, so writers are not starved; kernel/locking/rwsem.c). That
 * is what makes the classic rwsem deadlock possible: a reader that takes the lock for read again
 * (mmap_lock from a fault path that already holds it) while a writer waits for the first hold.
 */
export function lockFree(s: State, name: string, mode: 'r' | 'w'): boolean {
  const l = s.locks[name];
  if (mode === 'r') return (!l || l.w === -1) && !writerQueued(s, name);
  if (!l) return true;
  return l.w === -1 && l.r.length === 0;
}

/** Some activity sleeps waiting to take the lock for write. */
function writerQueued(s: State, name: string): boolean {
  for (const a of s.acts) {
    const w = a.wait;
    if (w !== null && w.k === 'lock' && w.mode === 'w' && w.name === name) return true;
  }
  return false;
}

export function isLocked(s: State, name: string): boolean {
  return !lockFree(s, name, 'w');
}

/**
 * Takes the lock if it is free; false means the caller must block on it. A blocking acquisition
 * records its dependencies on the attempt, as lockdep validates before it sleeps; a real trylock
 * (`trylock: true`, which gives up instead of sleeping) records none.
 */
export function tryLock(env: Env, name: string, mode: 'r' | 'w', opts?: { trylock: boolean }): boolean {
  if (env.act.agent === 'kworker') deferredMmUse(env, name);
  if (!opts?.trylock) recordDependency(env, name, 'lock', name, mode === 'r');
  if (!lockFree(env.s, name, mode)) return false;
  const l = lockState(env.s, name);
  const a = env.act;
  if (mode === 'w') l.w = a.id;
  else l.r.push(a.id);
  a.held.push(name);
  return true;
}

export function unlock(env: Env, name: string): void {
  const l = env.s.locks[name];
  const a = env.act;
  if (!l) throw new KernelOops('oops', { code: 'unlock-never-taken', at: {}, data: { lock: name } });
  if (l.w === a.id) l.w = -1;
  else {
    const i = l.r.indexOf(a.id);
    if (i < 0)
      throw new KernelOops('oops', {
        code: 'unlock-not-held',
        at: { act: a.id },
        data: { lock: name, act: a.id },
      });
    removeAt(l.r, i);
  }
  const j = a.held.lastIndexOf(name);
  if (j >= 0) removeAt(a.held, j);
  if (l.w === -1 && l.r.length === 0) delete env.s.locks[name];
}

/** downgrade_write(): the writer becomes a reader without releasing, so no new dependency. */
export function downgradeWrite(env: Env, name: string): void {
  const l = env.s.locks[name];
  if (!l || l.w !== env.act.id)
    throw new KernelOops('oops', { code: 'downgrade-not-write-held', at: {}, data: { lock: name } });
  l.w = -1;
  l.r.push(env.act.id);
}

export function waitSatisfied(s: State, w: Wait): boolean {
  switch (w.k) {
    case 'lock':
      return lockFree(s, w.name, w.mode);
    case 'unlocked':
      return !isLocked(s, w.name);
    case 'notifier': {
      const n = s.notifiers[w.id];
      if (!n || !n.alive) return true;
      const p = s.procs[n.pid];
      return !p || n.seq !== p.mmSeq;
    }
    case 'counter':
      return (s.counters[w.key] ?? 0) === w.until;
    case 'fence':
      return s.sync.fences[w.id]?.signaled ?? true;
  }
}

export const mmapLock = instanceName('mmap_lock');
const MMAP_LOCK = 'mmap_lock:';

/**
 * KASAN for the mm a work item reaches: deferred work holds no task, so the mm it was queued for is
 * valid only while the work item holds an mm reference (mmget in svm_range_add_list_work, paired
 * with mmput in svm_range_deferred_list_work: kfd_svm.c 367c9b0f1b87). Taking mmap_lock of an mm
 * that exit_mmap tore down (its last mmput ran) reads freed memory: the driver-object-lifetime
 * invariant, reported at the access. A task's own system calls are not work items: a thread that
 * slept on mmap_lock while its process exited finds the mm gone in the model (sys_* ESRCH).
 */
function deferredMmUse(env: Env, name: string): void {
  if (!name.startsWith(MMAP_LOCK)) return;
  const pid = Number(name.slice(MMAP_LOCK.length));
  const p = env.s.procs[pid];
  if (!p || p.alive) return;
  const fn = env.act.frames[env.act.frames.length - 1]?.fn ?? '?';
  throw new KernelBug('driver-object-lifetime', 'memory-safety', {
    code: 'mm-lock-after-exit',
    at: { pid },
    data: { fn, pid },
  });
}

/** mmap_write_downgrade(). */
export const mmapWriteDowngrade = (env: Env, pid: number): void => downgradeWrite(env, mmapLock(pid));
export const pageLock = instanceName('page_lock');
