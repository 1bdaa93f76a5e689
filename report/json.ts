// JSON rendering for tools: one object per check, stable field order.
import type { CheckReport } from '../check/checkDriver.js';
import { counterexampleView } from './counterexampleView.js';
import { meaningOf } from './meaning.js';

export function reportJson(r: CheckReport, replay: string): Record<string, unknown> {
  const cx = r.failure;
  return {
    ok: cx === null,
    driver: r.driver,
    suite: r.profile,
    seed: r.seed,
    runs: r.runs,
    steps: r.steps,
    ...(cx
      ? {
          violation: {
            invariant: cx.violation.invariant,
            class: cx.violation.cls,
            meaning: meaningOf(cx.violation.invariant),
            message: cx.violation.message,
            expected: cx.violation.expected,
            actual: cx.violation.actual,
            ...(cx.violation.witness ? { witness: cx.violation.witness } : {}),
            step: cx.violation.step + 1,
            operations: counterexampleView(cx).operations,
            steps: counterexampleView(cx).steps,
            program: cx.program,
            path: cx.path,
            replay,
          },
        }
      : {}),
  };
}
