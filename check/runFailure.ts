// What a failure the runner itself detects (deadlock, livelock, lockup, lockdep, kernel BUG) says,
// under the run failure's id (properties/catalog.ts RUN_FAILURES); each detector adds its kind and
// evidence to make it a Problem. Shared by the program executor and the explorer.
import { RUN_FAILURES } from '../properties/catalog.js';
import type { ProblemBase } from '../properties/invariant.js';

export function runFailure(
  id: keyof typeof RUN_FAILURES,
  step: number,
  expected: string,
  actual: string,
  message: string,
): ProblemBase {
  return {
    code: 'invariant-violated',
    invariant: id,
    cls: RUN_FAILURES[id].cls,
    step,
    expected,
    actual,
    message,
  };
}
