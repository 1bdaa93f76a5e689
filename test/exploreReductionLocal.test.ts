// Partial-order reduction where it has something to cut. No built-in driver has a local step (every
// step of theirs reads or writes shared state: bench's reduction table shows 0 states reduced), so
// this driver adds some (test/countingMirror.ts). With reduction the counting steps are taken
// alone; the verdicts and shortest counterexamples are those of the full exploration.
import { describe, expect, it } from 'vitest';
import { explore } from '../explore/explore.js';
import type { Invariant } from '../properties/invariant.js';
import { INVARIANTS } from '../properties/catalog.js';
import { counting, countingScope as scope } from './countingMirror.js';

const run = (reduce: boolean, depth: number, invariants?: readonly Invariant[]) =>
  explore(counting, scope, {
    depth,
    maxStates: 2_000_000,
    symmetry: true,
    reduce,
    ...(invariants ? { invariants } : {}),
  });

describe('explore --reduce with local steps', () => {
  it('takes the local steps alone: fewer states, the same verdict', () => {
    const full = run(false, 6);
    const reduced = run(true, 6);
    expect(full.violation).toBeNull();
    expect(reduced.violation).toBeNull();
    expect(reduced.ampleStates).toBeGreaterThan(0);
    expect(reduced.distinct).toBeLessThan(full.distinct);
    expect(reduced.depthCompleted).toBe(full.depthCompleted);
  });

  it('finds a violation at the same shortest length', () => {
    // A stand-in invariant broken once a page is under migration or in VRAM: only through the migration.
    const migrated: Invariant = {
      id: 'never-migrated',
      cls: 'refcount',
      meaning: 'test: every CPU page table entry maps a system page',
      reads: ['mm'],
      check: (s) =>
        s.procs.some((p) => p.pt.some((e) => e !== null && e.t !== 'p'))
          ? { expected: 'system pages only', actual: 'a migration or device entry', message: 'migrated' }
          : null,
    };
    const invariants = [...INVARIANTS, migrated];
    const full = run(false, 7, invariants);
    const reduced = run(true, 7, invariants);
    expect(full.violation?.problem.invariant).toBe('never-migrated');
    expect(reduced.violation?.problem.invariant).toBe('never-migrated');
    expect(reduced.violation?.moves.length).toBe(full.violation?.moves.length);
    expect(reduced.ampleStates).toBeGreaterThan(0);
  });
});
