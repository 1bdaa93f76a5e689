// lockdep's verdict on one step, shared by the program executor and the explorer so both find and
// report a potential deadlock alike.
import { findLockCycle } from '../model/lockdep/findLockCycle.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { Problem } from '../properties/invariant.js';
import { runFailure } from './runFailure.js';

/**
 * The first dependency recorded since `from` (insertion order) that closes a cycle with the edges
 * before it, as a Problem at step `n`; null when there is none.
 */
export function potentialDeadlock(
  edges: ReadonlyMap<string, LockEdge>,
  from: number,
  n: number,
): Problem | null {
  let i = 0;
  for (const e of edges.values()) {
    if (i++ < from) continue;
    const cycle = findLockCycle(edges, e, i);
    if (!cycle) continue;
    const chain = [...cycle.map((c) => c.from), e.from].join(' -> ');
    if (cycle.length === 1)
      return {
        kind: 'potential-deadlock',
        ...runFailure(
          'no-potential-deadlock',
          n,
          'no lock taken again by a task that holds it',
          `${e.agent} takes ${e.toName} for read while holding it for read`,
          `possible recursive locking detected: ${e.toName} (rw_semaphore readers do not nest: a queued writer deadlocks them)`,
        ),
        witness: { k: 'lock-order', cycle },
      };
    return {
      kind: 'potential-deadlock',
      ...runFailure(
        'no-potential-deadlock',
        n,
        'no cycle in the lock-class dependency graph',
        chain,
        `possible circular locking dependency: ${chain}, found before this run deadlocked`,
      ),
      witness: { k: 'lock-order', cycle },
    };
  }
  return null;
}
