// The head of a failure the runner itself detects (deadlock, livelock, lockup, lockdep), under the
// run failure's id (properties/catalog.ts RUN_FAILURES); each detector adds its kind and evidence
// as data, and report/runFailureWords.ts puts them in words. Shared by the program executor and the
// explorer.
import { RUN_FAILURES } from '../properties/catalog.js';
import type { ProblemHead } from '../properties/invariant.js';

export function runFailure(id: keyof typeof RUN_FAILURES, step: number): ProblemHead {
  return { code: 'invariant-violated', invariant: id, cls: RUN_FAILURES[id].cls, step };
}
