// The lock-class dependency graph of one run as reachability bitmasks, kept up to date edge by edge:
// whether a new dependency A -> B closes a cycle is one bit test (is A reachable from B), where a
// graph search per new dependency showed in profiles. It only says "a cycle may have closed";
// potentialDeadlock() then finds and reports it exactly as before.
import type { LockEdge } from '../model/lockdep/lockEdge.js';

// Bit positions of lock classes, shared by all runs (classes are few and their names fixed).
const classBits = new Map<string, number>();
const MAX_CLASSES = 31;

function bitOf(cls: string): number {
  let b = classBits.get(cls);
  if (b === undefined) {
    b = classBits.size;
    classBits.set(cls, b);
  }
  return b;
}

export class LockOrder {
  /** reach[i]: bit j set when class j is reachable from class i. */
  private readonly reach: number[] = [];
  private consumed = 0;
  /** More classes than bits: every question is passed on to the exact search. */
  private overflow = false;

  /** Takes in the edges recorded since the last call (insertion order); true if one may close a cycle. */
  mayCloseCycle(edges: ReadonlyMap<string, LockEdge>): boolean {
    let i = 0;
    let cycle = false;
    for (const e of edges.values()) {
      if (i++ < this.consumed) continue;
      if (this.overflow) continue;
      const u = bitOf(e.from);
      const v = bitOf(e.to);
      if (u >= MAX_CLASSES || v >= MAX_CLASSES) {
        this.overflow = true;
        continue;
      }
      while (this.reach.length <= Math.max(u, v)) this.reach.push(0);
      const fromV = this.reach[v] as number;
      if (u === v || (fromV >>> u) & 1) cycle = true;
      const gained = fromV | (1 << v);
      for (let x = 0; x < this.reach.length; x++)
        if (x === u || ((this.reach[x] as number) >>> u) & 1)
          this.reach[x] = (this.reach[x] as number) | gained;
    }
    this.consumed = i;
    return cycle || this.overflow;
  }
}
