// Every deliberately broken driver is found by the explorer in one of its scopes, breaking the
// invariant class it documents, with a counterexample the program executor replays step for step;
// breadth-first order makes it a shortest one, and symmetry reduction does not change its length.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { exploreCounterexample } from '../explore/exploreCounterexample.js';
import { findShortest } from '../explore/findShortest.js';
import { Transitions } from '../explore/Transitions.js';

/** Budget per scope: enough to reach depth 5 of every scope's violations, small enough for CI. */
const MAX_STATES = 100_000;

describe('explore, deliberately broken drivers', () => {
  for (const d of BUILTIN_DRIVERS.filter((x) => x.broken)) {
    it(`finds ${d.name} (expected: ${d.broken?.expects}) and the program replays it step for step`, () => {
      const found = findShortest(d, MAX_STATES);
      expect(found, `${d.name} is not reachable in any scope within ${MAX_STATES} states`).not.toBeNull();
      if (!found) return;
      const { scope, result: r } = found;
      const v = r.violation;
      if (!v) throw new Error('no violation');
      expect(v.problem.cls).toBe(d.broken?.expects);

      const cx = exploreCounterexample(d, scope, v, r.distinct);
      expect(cx.violation.invariant).toBe(v.problem.invariant);
      expect(cx.explored).toEqual({ scope: scope.name, depth: v.moves.length, distinct: r.distinct });
      // The replay takes exactly the path's steps, agent by agent, and breaks at its last one.
      const t = new Transitions(d, scope);
      const run = execute(d, cx.program, { trace: true });
      expect(run.trace.map((s) => s.agent)).toEqual(v.moves.map((m) => t.agents[m.agent]));
      expect(run.violation?.invariant).toBe(v.problem.invariant);
      expect(run.violation?.step).toBe(v.problem.step);

      // Shortest: nothing breaks at any smaller depth.
      const shallower = explore(d, scope, {
        depth: v.moves.length - 1,
        maxStates: MAX_STATES,
        symmetry: true,
      });
      expect(shallower.violation).toBeNull();
      expect(shallower.depthCompleted).toBe(v.moves.length - 1);

      // Symmetry reduction is sound here: without it the shortest violation has the same length.
      const plain = explore(d, scope, { depth: v.moves.length, maxStates: 4 * MAX_STATES, symmetry: false });
      expect(plain.violation?.moves.length).toBe(v.moves.length);
    });
  }
});
