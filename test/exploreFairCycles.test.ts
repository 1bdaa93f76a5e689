// The explorer's liveness check under weak fairness (explore/FairCycles.ts): a cycle of states is
// a livelock only when every activity enabled throughout it runs in it; the counterexample is a
// stem and a closed walk that the executor's LassoWatch finds again on replay.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { mirror } from '../drivers/mirror.js';
import { explore } from '../explore/explore.js';
import { FairCycles } from '../explore/FairCycles.js';
import { pathToProgram } from '../explore/pathToProgram.js';
import { scopeByName } from '../explore/scopes.js';
import { Transitions } from '../explore/Transitions.js';
import type { Driver } from '../model/driver.js';
import { defineProc, yieldTo } from '../model/proc.js';

describe('FairCycles', () => {
  it('a two-state cycle of the only enabled activity is fair', () => {
    const g = new FairCycles();
    g.enabled(0, [7]);
    g.enabled(1, [7]);
    g.edge(0, 1, 7);
    g.edge(1, 0, 7);
    expect(g.find()).toEqual({ root: 0, loop: [0, 1] });
  });

  it('a cycle that never runs an activity enabled all along it is not', () => {
    const g = new FairCycles();
    g.enabled(0, [7, 8]);
    g.enabled(1, [7, 8]);
    g.enabled(2, []);
    g.edge(0, 1, 7);
    g.edge(1, 0, 7);
    // Activity 8 leaves the cycle: a fair scheduler must eventually take it.
    g.edge(1, 2, 8);
    expect(g.find()).toBeNull();
  });

  it('an activity enabled in only part of the cycle does not make it unfair', () => {
    const g = new FairCycles();
    g.enabled(0, [7, 8]);
    g.enabled(1, [7]);
    g.enabled(2, []);
    g.edge(0, 1, 7);
    g.edge(1, 0, 7);
    g.edge(0, 2, 8);
    expect(g.find()?.root).toBe(0);
  });

  it('the walk covers every state and every key of the component', () => {
    const g = new FairCycles();
    for (let i = 0; i < 3; i++) g.enabled(i, [1, 2]);
    g.edge(0, 1, 1);
    g.edge(1, 2, 1);
    g.edge(2, 0, 1);
    g.edge(1, 0, 2);
    const c = g.find();
    expect(c).not.toBeNull();
    const keys = new Set(c?.loop.map((e) => g.edgeKey(e)));
    expect(keys).toEqual(new Set([1, 2]));
    const visited = new Set(c?.loop.map((e) => g.edgeFrom(e)));
    expect(visited).toEqual(new Set([0, 1, 2]));
  });
});

// A GPU fault handler that goes round two preemption points for ever: a loop of two states, which
// the explorer's one-state check could not see.
const twoStep = defineProc<Record<string, never>>('gpu_fault', {
  start: () => yieldTo('again'),
  again: () => yieldTo('start'),
});
const roundAndRound: Driver = {
  ...mirror,
  name: 'round-and-round',
  procs: { ...mirror.procs, gpu_fault: twoStep },
};

describe('explorer liveness', () => {
  it('finds a two-state fair loop and replays it as a folded lasso', () => {
    const scope = scopeByName('tiny');
    if (!scope) throw new Error('no scope');
    const r = explore(roundAndRound, scope, { depth: 5, maxStates: 100_000, symmetry: true });
    expect(r.violation?.problem.invariant).toBe('forward-progress');
    const moves = r.violation?.moves ?? [];
    const program = pathToProgram(new Transitions(roundAndRound, scope), moves);
    const x = execute(roundAndRound, program, { trace: true });
    expect(x.violation?.invariant).toBe('forward-progress');
    expect(x.violation?.witness?.k).toBe('lasso');
  });

  it('the correct mirror is clean at the same depth', () => {
    const scope = scopeByName('tiny');
    if (!scope) throw new Error('no scope');
    expect(explore(mirror, scope, { depth: 5, maxStates: 100_000, symmetry: true }).violation).toBeNull();
  });
});
