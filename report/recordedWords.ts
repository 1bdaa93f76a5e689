// The words of an archived violation rendered again from its recorded finding alone (the file's
// data, no replay): what a tool reading the archive gets, and what test/findingsAreData.test.ts
// holds equal to the words of a replay.
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { RUN_FAILURES } from '../properties/catalog.js';
import type { Problem, Words } from '../properties/invariant.js';
import type { KernelFailure } from '../model/kernelFailure.js';
import type { InvariantClass } from '../model/driver.js';
import type { At } from '../model/finding.js';
import { problemWords } from './problemWords.js';

/** Null when the violation has no finding (a run failure, a user module's own words). */
export function recordedWords(v: CounterexampleFile['violation']): Words | null {
  const f = v.finding;
  if (!f) return null;
  const head = {
    code: 'invariant-violated' as const,
    invariant: v.invariant,
    cls: v.class as InvariantClass,
    step: v.step,
  };
  const finding = { code: f.code, at: f.at as At, data: f.data as unknown };
  const p: Problem =
    f.kind === 'invariant'
      ? { ...head, kind: 'invariant', finding }
      : f.kind === 'kernel-bug'
        ? { ...head, kind: 'kernel-bug', finding: finding as KernelFailure, who: f.who ?? '' }
        : {
            ...head,
            kind: 'kernel-oops',
            cls: RUN_FAILURES['kernel-oops'].cls,
            hang: f.hang ?? false,
            finding: finding as KernelFailure,
            who: f.who ?? '',
          };
  return problemWords(p);
}
