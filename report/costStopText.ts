// Why a comparison stopped, in one paragraph: which policy, which run (and the seed of its
// workload), and the finding — an invariant the policy broke, or a run the model could not judge.
import { match } from 'ts-pattern';
import type { Comparison } from '../check/comparePolicies.js';
import { costPolicy } from '../drivers/costPolicies/costPolicies.js';
import { problemWords } from './problemWords.js';

export function costStopText(workload: string, c: Extract<Comparison, { k: 'stopped' }>): string {
  const where = `compare stopped: policy ${c.policy}, run ${c.run + 1} (workload ${workload}, run seed ${c.runSeed})`;
  const why = match(c.why)
    .with({ k: 'violation' }, (v) => {
      const w = problemWords(v.problem);
      return `  ${v.problem.invariant} broken at step ${v.problem.step}: ${w.message}\n  expected: ${w.expected}\n  actual:   ${w.actual}`;
    })
    .with({ k: 'undecided' }, (v) => `  liveness undecided after ${v.steps} steps: the run did not finish`)
    .with({ k: 'not-modelled' }, (v) => `  the run took a path the model does not cover: ${v.why}`)
    .exhaustive();
  // A model of shipped code breaks some invariants as upstream does (Driver.openFindings, each an
  // archived open case): say so, so that nobody takes it for a defect of the model.
  const driver = costPolicy(c.policy)?.driver;
  const open =
    c.why.k === 'violation' && c.why.openFinding !== undefined
      ? `\n  this is ${driver?.name ?? c.policy}'s open finding ${c.why.openFinding} (${c.why.problem.invariant}): upstream behaviour, archived as an open case (svmcheck list)`
      : '';
  return `${where}\n${why}${open}\n  the costs of this policy are not comparable: nothing was measured`;
}
