// A failure found by run or suites, made into an archived case: the record, its explanation, the
// Markdown report beside it, and (unless archiving is off) both written into the archive.
import { archiveCase, type ArchiveOutcome } from '../archive/archiveCase.js';
import { ArchiveError } from '../archive/archiveError.js';
import { casePaths } from '../archive/casePaths.js';
import type { CounterexampleFile, ExtensionKind } from '../archive/counterexampleFile.js';
import { counterexampleRecord } from '../archive/counterexampleRecord.js';
import { driverIdentity } from '../archive/driverIdentity.js';
import { moduleIdentity } from '../archive/moduleIdentity.js';
import type { Counterexample } from '../check/checkDriver.js';
import type { Invariant } from '../properties/invariant.js';
import { explainCase } from '../report/explainCase.js';
import type { Explanation } from '../report/explanation.js';
import { renderMarkdown } from '../report/markdown.js';
import { problemWords } from '../report/problemWords.js';
import { caseTitle } from '../report/title.js';
import { caseLink } from './caseLink.js';
import type { LoadedDriver } from './loadDriver.js';
import { UsageError } from './usageError.js';
import { shellWord } from './shellWord.js';

export interface RecordedFailure {
  cx: CounterexampleFile;
  explanation: Explanation;
  /** Where it was archived, null with --archive none. */
  archived: ArchiveOutcome | null;
}

export interface RecordInput {
  command: string;
  failure: Counterexample;
  loaded: LoadedDriver;
  suite: string;
  seed: number;
  archiveDir: string | null;
  /** The replay command when the case is not archived. */
  replay: string;
  /** The modules given by path besides the driver (absolute paths): the case records them. */
  extensions?: ReadonlyArray<{ kind: ExtensionKind; path: string }>;
  /** The invariants of its --invariant modules, for the report's replay. */
  invariants?: readonly Invariant[];
}

export async function recordFailure(r: RecordInput): Promise<RecordedFailure> {
  const { driver } = r.loaded;
  const v = r.failure.violation;
  const at = r.failure.trace.find((t) => t.n === v.step) ?? r.failure.trace[r.failure.trace.length - 1];
  const kind = at ? (r.failure.program.ops[at.op]?.op ?? null) : null;
  const identity = await driverIdentity(r.loaded.base ?? driver, r.loaded.module);
  const cx = counterexampleRecord({
    failure: r.failure,
    words: problemWords(v),
    identity,
    suite: r.suite,
    seed: r.seed,
    // A deliberate mutation's failure is expected; upstream's own behaviour failing is a real bug.
    status: driver.broken && !driver.broken.upstream ? 'expected' : 'open',
    title: caseTitle(v.cls, v.invariant, driver.name, kind),
    archiveDir: r.archiveDir ?? '.',
    extensions: (r.extensions ?? []).map((x) => ({ ...x, code: moduleIdentity(x.path) })),
  });
  const paths = r.archiveDir === null ? null : casePaths(r.archiveDir, cx);
  const explanation = explainCase({
    cx,
    driver,
    replay: paths ? `npx svmcheck replay ${shellWord(paths.json)}` : r.replay,
    driverToday: identity,
    link: paths ? caseLink(paths.json) : r.replay,
    ...(r.invariants ? { invariants: r.invariants } : {}),
  });
  if (r.archiveDir === null) return { cx, explanation, archived: null };
  try {
    return { cx, explanation, archived: archiveCase(r.archiveDir, cx, renderMarkdown(explanation)) };
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck ${r.command}: --archive ${e.message}`);
    throw e;
  }
}
