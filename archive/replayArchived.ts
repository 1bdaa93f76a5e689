// Re-executing an archived counterexample and comparing it with what was archived: which invariant
// breaks now, and which operations resolve differently (applied then, skipped now, or the reverse),
// which means the model or the generators changed under the case and it may no longer test anything.
import { execute, type ExecResult } from '../check/execute.js';
import type { Driver } from '../model/driver.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import type { CounterexampleFile, Resolution } from './counterexampleFile.js';
import { opResolutions } from './opResolutions.js';

export interface StaleStep {
  /** 0-based operation index. */
  op: number;
  was: Resolution;
  now: Resolution;
}

export interface ArchivedReplay {
  verdict: 'violates' | 'violates-other' | 'passes';
  violation: Problem | null;
  result: ExecResult;
  stale: StaleStep[];
}

/** `extra`: the invariants of the case's own --invariant modules, checked beside the built-in ones. */
export function replayArchived(
  cx: CounterexampleFile,
  driver: Driver,
  extra: readonly Invariant[] = [],
): ArchivedReplay {
  const invariants = extra.length ? { invariants: [...INVARIANTS, ...extra] } : {};
  const result = execute(driver, cx.program, { trace: true, ...invariants });
  const now = opResolutions(cx.program, result.trace);
  const stale: StaleStep[] = [];
  cx.resolutions.forEach((was, op) => {
    const cur = now[op] ?? 'not-reached';
    // Reaching an operation or not follows from where the run stops; applied vs skipped does not.
    if (was !== cur && was !== 'not-reached' && cur !== 'not-reached') stale.push({ op, was, now: cur });
  });
  const v = result.violation;
  const verdict = !v ? 'passes' : v.invariant === cx.violation.invariant ? 'violates' : 'violates-other';
  return { verdict, violation: v, result, stale };
}
