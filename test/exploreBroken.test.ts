// The deliberately broken drivers the explorer finds in its scopes (the table: test/exploreFound.ts),
// breaking the invariant class each documents, with a counterexample the program executor replays
// step for step; breadth-first order makes it a shortest one. Each search covers exactly the states
// the explorer's manifest (explore/manifest.json) records for it.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { exploreCounterexample } from '../explore/exploreCounterexample.js';
import { scopeByName } from '../explore/scopes.js';
import { Transitions } from '../explore/Transitions.js';
import { kernelOf } from '../model/kernelVersion.js';
import { expectAsManifest } from './exploreManifest.js';
import { FOUND, FOUND_MAX_STATES } from './exploreFound.js';

describe('explore, deliberately broken drivers', () => {
  it('finds every catalog entry', () => {
    const catalog = BUILTIN_DRIVERS.filter((d) => d.broken).map((d) => d.name);
    expect(FOUND.map(([name]) => name).sort()).toEqual(catalog.sort());
  });
  for (const [name, scopeName, length] of FOUND) {
    it(`finds ${name} in scope ${scopeName} at depth ${length}, and the program replays it step for step`, () => {
      const d = BUILTIN_DRIVERS.find((x) => x.name === name);
      const scope = scopeByName(scopeName);
      if (!d || !scope) throw new Error(`no driver ${name} or scope ${scopeName}`);
      const r = explore(d, scope, { depth: length, maxStates: FOUND_MAX_STATES, symmetry: true });
      const v = r.violation;
      if (!v) throw new Error(`${name}: no violation in scope ${scopeName} to depth ${length}`);
      expect(v.moves.length).toBe(length);
      expect(v.problem.cls).toBe(d.broken?.expects);
      // Shortest: the level before the violation was complete (breadth-first) and clean. A livelock
      // is a cycle, judged after the search (explore/FairCycles.ts), which then completed its depth:
      // one level less must find nothing.
      if (r.depthCompleted === length && v.problem.cls === 'progress') {
        const shorter = explore(d, scope, { depth: length - 1, maxStates: FOUND_MAX_STATES, symmetry: true });
        expect(shorter.violation).toBeNull();
        expect(shorter.depthCompleted).toBe(length - 1);
      } else expect(r.depthCompleted).toBe(length - 1);
      expectAsManifest(r, kernelOf(scope.config));

      const cx = exploreCounterexample(d, scope, v, r.distinct);
      expect(cx.violation.invariant).toBe(v.problem.invariant);
      expect(cx.explored).toEqual({ scope: scope.name, depth: length, distinct: r.distinct });
      // The replay takes exactly the path's steps, agent by agent, and breaks at its last one.
      const t = new Transitions(d, scope);
      const run = execute(d, cx.program, { trace: true });
      expect(run.trace.length).toBe(length);
      v.moves.forEach((m, i) => {
        // A move that starts an operation names its agent; one that steps an activity names its id.
        if (m.op >= 0) expect(run.trace[i]?.agent).toBe(t.agents[m.agent]);
      });
      expect(run.violation?.invariant).toBe(v.problem.invariant);
      expect(run.violation?.step).toBe(v.problem.step);
    }, 60_000);
  }
});
