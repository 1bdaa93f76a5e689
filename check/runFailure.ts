// A failure the runner itself detects (deadlock, livelock, kernel BUG), as a Problem like any
// invariant's: shared by the program executor and the explorer so both report it alike.
import { RUN_FAILURES } from '../properties/catalog.js';
import type { Problem } from '../properties/invariant.js';

export function runFailure(
  id: keyof typeof RUN_FAILURES,
  step: number,
  expected: string,
  actual: string,
  message: string,
): Problem {
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
