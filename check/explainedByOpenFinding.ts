// Whether a counterexample is upstream behaviour a driver already has archived open: its program is
// replayed and the driver's open findings asked about the problem, the state it fails in and the
// run's counters (model/openFinding.ts).
import type { Driver } from '../model/driver.js';
import { openFindingFor } from '../model/openFinding.js';
import type { Counterexample } from './checkDriver.js';
import { execute } from './execute.js';

/** The archived case (or plain invariant entry) that explains the failure, or undefined. */
export function explainedByOpenFinding(
  driver: Driver,
  failure: Pick<Counterexample, 'program' | 'violation'>,
): string | undefined {
  if (!driver.openFindings?.length) return undefined;
  const r = execute(driver, failure.program);
  return openFindingFor(driver.openFindings, r.violation ?? failure.violation, r.state, r.stats);
}
