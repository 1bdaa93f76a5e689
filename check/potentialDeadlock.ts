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
    return {
      kind: 'potential-deadlock',
      ...runFailure('no-potential-deadlock', n),
      witness: { k: 'lock-order', cycle },
    };
  }
  return null;
}
