// upgrade on a schemaVersion 2 case: it becomes schemaVersion 3 in place, with its finding as data
// (violation.finding) from a replay on today's model beside the words it was archived with (kept:
// nothing archived is lost; upgrade says when today's words for the finding differ). A case that
// no longer breaks its invariant (a fixed one, or one that now breaks another) gets no finding.
import { ArchiveError } from '../archive/archiveError.js';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { CounterexampleFileV2Schema } from '../archive/counterexampleFileV2.js';
import { recordedViolation } from '../archive/counterexampleRecord.js';
import { replaceCase } from '../archive/replaceCase.js';
import { replayArchived } from '../archive/replayArchived.js';
import { problemWords } from '../report/problemWords.js';
import { patchedFor, type CaseExtensions } from './caseExtensions.js';
import type { LoadedDriver } from './loadDriver.js';
import { UsageError } from './usageError.js';

/** The v2 file's content as schemaVersion 3 with no finding yet (what caseDriver and caseExtensions read). */
export function asVersion3(file: string, json: unknown): CounterexampleFile {
  const r = CounterexampleFileV2Schema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new UsageError(
      `svmcheck upgrade: ${file}: field ${i?.path.map(String).join('.') || '(top level)'}: ${i?.message ?? 'invalid'}`,
    );
  }
  return { ...r.data, schemaVersion: 3 };
}

/** Rewrites the case with its finding; returns the case as written and the line upgrade prints. */
export function addFinding(
  file: string,
  cx: CounterexampleFile,
  loaded: LoadedDriver,
  ext: CaseExtensions,
): { cx: CounterexampleFile; line: string } {
  const v = replayArchived(cx, patchedFor(loaded, ext), ext.invariants).violation;
  const same = v !== null && v.invariant === cx.violation.invariant;
  const today = same ? recordedViolation(v, problemWords(v)) : cx.violation;
  const reworded = (['message', 'expected', 'actual'] as const).filter((k) => today[k] !== cx.violation[k]);
  const violation = { ...cx.violation, ...(today.finding ? { finding: today.finding } : {}) };
  const next: CounterexampleFile = { ...cx, violation };
  try {
    replaceCase(file, next);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck upgrade: ${e.message}`);
    throw e;
  }
  const what = violation.finding
    ? `finding ${violation.finding.code} recorded${reworded.length ? `; the archived words are kept, today's ${reworded.join(', ')} differ` : ''}`
    : same
      ? 'no finding (a run failure, worded where check/ detects it): words kept'
      : `no finding (the replay ${v ? `breaks ${v.invariant}` : 'passes'}): words kept`;
  return { cx: next, line: `${file}: schemaVersion 2 -> 3, ${what}` };
}
