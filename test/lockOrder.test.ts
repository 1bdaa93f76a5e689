// The incremental lock-order check answers exactly as the graph search it stands in front of: for
// any sequence of dependencies, taken in in batches, it reports a possible cycle for a batch iff
// potentialDeadlock() finds a dependency in that batch closing one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LockOrder } from '../check/LockOrder.js';
import { potentialDeadlock } from '../check/potentialDeadlock.js';
import { edgeKey, type LockEdge } from '../model/lockdep/lockEdge.js';

const edge = (from: string, to: string): LockEdge => ({
  from,
  to,
  fromName: from,
  toName: to,
  how: 'lock',
  primed: false,
  step: 0,
  agent: 'cpu0',
  op: 0,
  stack: [],
});

describe('LockOrder', () => {
  it('agrees with potentialDeadlock on every batch of random dependencies', () => {
    const classes = ['lo_a', 'lo_b', 'lo_c', 'lo_d', 'lo_e', 'lo_f'];
    const dep = fc
      .tuple(fc.constantFrom(...classes), fc.constantFrom(...classes))
      .filter(([a, b]) => a !== b);
    let cycles = 0;
    let quiet = 0;
    fc.assert(
      fc.property(fc.array(fc.array(dep, { maxLength: 4 }), { maxLength: 10 }), (batches) => {
        const edges = new Map<string, LockEdge>();
        const order = new LockOrder();
        for (const batch of batches) {
          const before = edges.size;
          for (const [a, b] of batch) if (!edges.has(edgeKey(a, b))) edges.set(edgeKey(a, b), edge(a, b));
          if (edges.size === before) continue;
          const exact = potentialDeadlock(edges, before, 0) !== null;
          expect(order.mayCloseCycle(edges)).toBe(exact);
          if (exact) cycles++;
          else quiet++;
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
    // Both answers were exercised.
    expect(cycles).toBeGreaterThan(100);
    expect(quiet).toBeGreaterThan(100);
  });

  it('reports the cycle a b -> c, c -> a closes, and not before', () => {
    const edges = new Map<string, LockEdge>();
    const order = new LockOrder();
    edges.set(edgeKey('lo_x', 'lo_y'), edge('lo_x', 'lo_y'));
    edges.set(edgeKey('lo_y', 'lo_z'), edge('lo_y', 'lo_z'));
    expect(order.mayCloseCycle(edges)).toBe(false);
    edges.set(edgeKey('lo_z', 'lo_x'), edge('lo_z', 'lo_x'));
    expect(order.mayCloseCycle(edges)).toBe(true);
  });
});
