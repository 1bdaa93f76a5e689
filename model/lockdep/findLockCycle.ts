// Lockdep's circular-dependency check: when an edge A -> B is added, a path B -> ... -> A in the
// graph of lock classes closes a cycle, a potential deadlock whether or not this run deadlocked.
import type { LockEdge } from './lockEdge.js';

/**
 * The shortest cycle through `added`, as edges starting with it, or null. Only the first `limit`
 * edges (insertion order) form the graph, so a caller checking the edges of one step in order
 * needs no copy of the map per edge.
 */
export function findLockCycle(
  edges: ReadonlyMap<string, LockEdge>,
  added: LockEdge,
  limit = edges.size,
): LockEdge[] | null {
  // A class taken again while held (rwsem read recursion) is a cycle by itself.
  if (added.from === added.to) return [added];
  // No edge leaves added.to: nothing can lead back (the common case, answered without building
  // the graph).
  let k = 0;
  let leaves = false;
  for (const e of edges.values()) {
    if (k++ >= limit) break;
    if (e.from === added.to) {
      leaves = true;
      break;
    }
  }
  if (!leaves) return null;
  const out = new Map<string, LockEdge[]>();
  k = 0;
  for (const e of edges.values()) {
    if (k++ >= limit) break;
    const l = out.get(e.from);
    if (l) l.push(e);
    else out.set(e.from, [e]);
  }
  // Breadth-first from added.to back to added.from: the shortest chain makes the clearest report.
  const via = new Map<string, LockEdge>();
  const seen = new Set<string>([added.to]);
  let frontier = [added.to];
  while (frontier.length) {
    const next: string[] = [];
    for (const c of frontier) {
      for (const e of out.get(c) ?? []) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        via.set(e.to, e);
        if (e.to === added.from) {
          const path: LockEdge[] = [];
          for (let at = added.from; at !== added.to;) {
            const p = via.get(at);
            if (!p) break;
            path.unshift(p);
            at = p.from;
          }
          return [added, ...path];
        }
        next.push(e.to);
      }
    }
    frontier = next;
  }
  return null;
}
