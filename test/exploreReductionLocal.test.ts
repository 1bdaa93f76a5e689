// Partial-order reduction where it has something to cut. No built-in driver has a local step (every
// step of theirs reads or writes shared state: bench's reduction table shows 0 states reduced), so
// this driver adds some: the mirror whose explicit migration first counts to two in its own locals,
// one preemption point per count, before migrating. With reduction the counting steps are taken
// alone; the verdicts and shortest counterexamples are those of the full exploration.
import { describe, expect, it } from 'vitest';
import { mirror } from '../drivers/mirror.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import type { Driver } from '../model/driver.js';
import { defineProc, type StepResult } from '../model/proc.js';
import type { Invariant } from '../properties/invariant.js';
import { INVARIANTS } from '../properties/catalog.js';

interface Counting {
  counted?: number;
  [arg: string]: unknown;
}

/** drv:migrate with a prologue of local steps (its own counter) before the mirror's migration. */
const countingMigrate = defineProc<Counting>('counting_migrate', {
  start: (_env, l): StepResult => {
    l.counted = 0;
    return { k: 'yield', pc: 'count' };
  },
  count: (_env, l): StepResult => {
    l.counted = (l.counted ?? 0) + 1;
    if (l.counted < 2) return { k: 'yield', pc: 'count' };
    const args = { ...l };
    delete args.counted;
    return { k: 'call', fn: 'drv:mirror_migrate', args, pc: 'done' };
  },
  done: (_env, _l, r): StepResult => ({ k: 'ret', v: r }),
});

const counting: Driver = {
  ...mirror,
  name: 'mirror-counting',
  procs: { ...mirror.procs, migrate: countingMigrate, mirror_migrate: mirror.procs.migrate },
};

// Two CPU threads, no GPU operation: VRAM is reached only by the explicit migration.
const two = scopeByName('two-threads');
if (!two) throw new Error('no scope two-threads');
const scope = { ...two, kinds: ['mmap', 'munmap', 'cpu_write', 'migrate'] as const };

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
