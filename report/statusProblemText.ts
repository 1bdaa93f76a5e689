// One line per way an archived case no longer behaves as its status says.
import { match } from 'ts-pattern';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import type { StatusProblem } from '../archive/statusProblems.js';
import { describeOp } from './describe.js';

export function statusProblemText(p: StatusProblem, cx: CounterexampleFile): string {
  return match(p)
    .with({ k: 'stale' }, (s) => {
      const op = cx.program.ops[s.op];
      const what = op ? ` (${describeOp(op, cx.program.config)})` : '';
      return s.was === 'applied'
        ? `step ${s.op + 1}${what} no longer applies: it was applied when archived and is ${s.now} now (the model or generators changed under this case)`
        : `step ${s.op + 1}${what} resolves differently: it was ${s.was} when archived and is ${s.now} now (the model or generators changed under this case)`;
    })
    .with(
      { k: 'no-longer-violates' },
      (s) =>
        `no longer breaks ${s.invariant}, but its status '${cx.status}' says it must (if the bug was fixed, set status to 'fixed')`,
    )
    .with({ k: 'violates-other' }, (s) => `breaks ${s.now} now instead of ${s.invariant}`)
    .with({ k: 'still-violates' }, (s) => `status 'fixed', but it breaks ${s.invariant} again: a regression`)
    .exhaustive();
}
