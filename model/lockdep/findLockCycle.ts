// Lockdep's circular-dependency check: when an edge A -> B is added, a path B -> ... -> A in the
// graph of lock classes closes a cycle, a potential deadlock whether or not this run deadlocked.
import type { LockEdge } from './lockEdge.js';

/** The shortest cycle through `added`, as edges starting with it, or null. */
export function findLockCycle(edges: ReadonlyMap<string, LockEdge>, added: LockEdge): LockEdge[] | null {
  const out = new Map<string, LockEdge[]>();
  for (const e of edges.values()) {
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
