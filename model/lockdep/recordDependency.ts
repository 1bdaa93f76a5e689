// lockdep's dependency recording: taking (or waiting on, or entering) `name` while holding other
// locks adds an edge from each held class to its class, keeping the first witness.
import type { Env } from '../proc.js';
import { lockClass, UNTRACKED_CLASSES } from './lockClass.js';
import { edgeKey, type EdgeKind } from './lockEdge.js';

export function recordDependency(
  env: Env,
  name: string,
  how: EdgeKind,
  toName = name,
  /** A down_read(): rwsem readers are not recursive for lockdep (rwsem_acquire_read, read=1). */
  read = false,
): void {
  const to = lockClass(name);
  if (UNTRACKED_CLASSES.has(to)) return;
  const a = env.act;
  for (const h of a.held) {
    const from = lockClass(h);
    // Same-class nesting is a ww_mutex acquire context or an annotated subclass, not an inversion.
    // But a down_read() of an rw_semaphore this task already holds is recursion lockdep reports
    // ("possible recursive locking detected", check_deadlock(): only read == 2, the recursive
    // readers of rwlock_t, may nest; rwsem readers are read == 1): a writer queued between the two
    // acquisitions makes the second wait forever (rwsem_down_read_slowpath queues behind it).
    if (UNTRACKED_CLASSES.has(from)) continue;
    if (from === to && !(read && h === name)) continue;
    const key = edgeKey(from, to);
    if (env.lockEdges.has(key)) continue;
    env.lockEdges.set(key, {
      from,
      to,
      fromName: h,
      toName,
      how,
      primed: false,
      step: env.step,
      agent: a.agent,
      op: a.op,
      stack: a.frames.map((f) => f.fn),
    });
  }
}

/** might_lock() / lock_map_acquire()+release(): records the dependency without holding anything. */
export function mightLock(env: Env, name: string): void {
  recordDependency(env, name, 'lock');
}
