// The counterexample of a failed check as JSON: the same object for `run` and `explore`.
import type { Counterexample } from '../check/checkDriver.js';
import { counterexampleView } from './counterexampleView.js';
import { meaningOf } from './meaning.js';
import { problemWords } from './problemWords.js';

export function violationJson(cx: Counterexample, replay: string): Record<string, unknown> {
  const view = counterexampleView(cx);
  const w = problemWords(cx.violation);
  return {
    kind: cx.violation.kind,
    invariant: cx.violation.invariant,
    class: cx.violation.cls,
    meaning: meaningOf(cx.violation.invariant),
    message: w.message,
    expected: w.expected,
    actual: w.actual,
    ...(cx.violation.witness ? { witness: cx.violation.witness } : {}),
    step: cx.violation.step + 1,
    operations: view.operations,
    steps: view.steps,
    program: cx.program,
    path: cx.path,
    replay,
    ...(cx.explored ? { explored: cx.explored } : {}),
  };
}
