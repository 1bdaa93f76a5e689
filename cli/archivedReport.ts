// An archived case that still breaks an invariant, in the shape run's text and JSON renderers take.
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import type { ArchivedReplay } from '../archive/replayArchived.js';
import type { CheckReport } from '../check/checkDriver.js';
import type { Problem } from '../properties/invariant.js';

export function archivedReport(cx: CounterexampleFile, r: ArchivedReplay, violation: Problem): CheckReport {
  return {
    driver: cx.driver.name,
    profile: cx.found.suite,
    seed: cx.found.seed,
    runs: 0,
    steps: r.result.steps,
    stats: {},
    runsWith: {},
    interrupted: false,
    failure: {
      program: cx.program,
      violation,
      trace: r.result.trace,
      fastCheckOps: cx.program.ops.length,
      fastCheckShrinks: 0,
      minimizeAttempts: 0,
      path: cx.found.path,
    },
  };
}
