// The explorer's shortest path to a violation as the same Counterexample a property-based run
// produces — a concrete program the executor replays, its trace and violation — so it is reported
// and archived exactly like run's.
import type { Counterexample } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import type { Driver } from '../model/driver.js';
import type { Invariant } from '../properties/invariant.js';
import type { ExploreViolation } from './explore.js';
import { pathToProgram } from './pathToProgram.js';
import type { Scope } from './scope.js';
import { Transitions } from './Transitions.js';

/** The explorer's violation as a replayable counterexample; throws if the replay does not break the same invariant. */
export function exploreCounterexample(
  driver: Driver,
  scope: Scope,
  v: ExploreViolation,
  distinct: number,
  invariants?: readonly Invariant[],
): Counterexample {
  const t = new Transitions(driver, scope);
  const program = pathToProgram(t, v.moves);
  const run = execute(driver, program, { trace: true, ...(invariants ? { invariants } : {}) });
  if (run.violation?.invariant !== v.problem.invariant)
    throw new Error(
      `explore: the program for the path to ${v.problem.invariant} replays to ${run.violation?.invariant ?? 'no violation'}`,
    );
  return {
    program,
    violation: run.violation,
    trace: run.trace,
    fastCheckOps: program.ops.length,
    fastCheckShrinks: 0,
    minimizeAttempts: 0,
    path: '',
    explored: { scope: scope.name, depth: v.moves.length, distinct },
  };
}
