// One judge for both searches (check/Judge.ts): a counterexample the explorer finds is diagnosed
// by the program executor, replaying it, with the same problem, worded alike — for each kind of
// verdict the judge gives the catalog: a step invariant, a deadlock, a lockdep cycle and a lockup (a
// fair cycle starved of its CPU). No catalog entry breaks a final invariant: a unit test shows that.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { Judge } from '../check/Judge.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import { explore } from '../explore/explore.js';
import { exploreCounterexample } from '../explore/exploreCounterexample.js';
import { scopeByName } from '../explore/scopes.js';
import { initialState } from '../model/engine.js';
import { DEFAULT_CONFIG } from '../model/config.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { ProblemKind } from '../properties/invariant.js';
import { ALL_REGIONS } from '../model/touched.js';

/** Catalog entry, the scope the explorer finds it in, its depth, the verdict it must get and its kind. */
const KINDS: ReadonlyArray<[string, string, number, string, ProblemKind]> = [
  ['ignore-unmap', 'tiny', 4, 'no-gpu-pte-after-munmap', 'invariant'],
  ['bo-leak-node', 'svm-tiny', 3, 'bo-refcount', 'invariant'],
  ['svm-no-recursion-guard', 'svm-partial', 5, 'no-deadlock', 'deadlock'],
  ['fence-resv-inversion', 'fence-tiny', 2, 'no-potential-deadlock', 'potential-deadlock'],
  ['svm-flush-busy-wait', 'svm-one-cpu', 5, 'no-lockup', 'lockup'],
];

describe('the judge', () => {
  for (const [name, scopeName, depth, verdict, kind] of KINDS)
    it(`gives ${name} the same ${verdict} verdict in the explorer and in the executor`, () => {
      const d = BUILTIN_DRIVERS.find((x) => x.name === name);
      const scope = scopeByName(scopeName);
      if (!d || !scope) throw new Error(`no driver ${name} or scope ${scopeName}`);
      const r = explore(d, scope, { depth, maxStates: 200_000, symmetry: true });
      const v = r.violation;
      if (!v) throw new Error(`${name}: nothing found in ${scopeName} to depth ${depth}`);
      expect(v.problem.invariant).toBe(verdict);
      expect(v.problem.kind).toBe(kind);
      const cx = exploreCounterexample(d, scope, v, r.distinct);
      // Traced, as a shown counterexample is: the lasso is watched from its first step, as explored.
      const run = execute(d, cx.program, { trace: true });
      if (!run.violation) throw new Error(`${name}: the replay passed`);
      // A witness names operations by index: the scope's in one, the replayed program's in the other.
      const { witness: replayedWitness, ...replayed } = run.violation;
      const { witness: exploredWitness, ...explored } = v.problem;
      expect(replayed).toEqual(explored);
      expect(replayedWitness?.k).toBe(exploredWitness?.k);
    }, 60_000);

  it('reports the first broken step invariant in catalog order, and nothing on a clean state', () => {
    const s = initialState(DEFAULT_CONFIG, reference);
    const judge = new Judge(reference);
    expect(judge.step(s, [], ALL_REGIONS, 0)).toBeNull();
    expect(judge.finished(s, 0)).toBeNull();
    const first = INVARIANTS.find((i) => !i.final);
    if (!first) throw new Error('no step invariant');
    const broken = new Judge(reference, [
      { ...first, id: 'always-broken', check: () => ({ expected: 'e', actual: 'a', message: 'm' }) },
      { ...first, id: 'second', check: () => ({ expected: 'e2', actual: 'a2', message: 'm2' }) },
    ]);
    expect(broken.step(s, [], ALL_REGIONS, 7)).toEqual({
      code: 'invariant-violated',
      kind: 'invariant',
      invariant: 'always-broken',
      cls: first.cls,
      step: 7,
      finding: { expected: 'e', actual: 'a', message: 'm' },
    });
  });

  it('judges the final invariants only where asked, after the step invariants', () => {
    const s = initialState(DEFAULT_CONFIG, reference);
    const last = INVARIANTS.find((i) => i.final);
    if (!last) throw new Error('no final invariant');
    const judge = new Judge(reference, [
      {
        ...last,
        id: 'left-behind',
        check: () => ({ expected: 'nothing left', actual: 'a BO', message: 'leak' }),
      },
    ]);
    expect(judge.step(s, [], ALL_REGIONS, 3)).toBeNull();
    expect(judge.finished(s, 4)).toMatchObject({
      invariant: 'left-behind',
      step: 4,
      finding: { actual: 'a BO' },
    });
  });
});
