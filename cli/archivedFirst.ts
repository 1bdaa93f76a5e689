// Hypothesis-style: before generating anything, a run replays the archived cases of its driver;
// a case that still breaks an invariant is the run's failure.
import { ArchiveError } from '../archive/archiveError.js';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { listArchive } from '../archive/listArchive.js';
import { replayArchived, type ArchivedReplay } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import type { Driver } from '../model/driver.js';
import type { Problem } from '../properties/invariant.js';
import { statusProblemText } from '../report/statusProblemText.js';
import { UsageError } from './usageError.js';

export interface ArchivedFirst {
  replayed: number;
  failing: { file: string; cx: CounterexampleFile; replay: ArchivedReplay; violation: Problem } | null;
  /** Cases that pass but resolve differently than when archived. */
  notes: string[];
}

export function replayArchivedFirst(command: string, dir: string, driver: Driver): ArchivedFirst {
  let listing;
  try {
    listing = listArchive(dir);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck ${command}: --archive ${e.message}`);
    throw e;
  }
  const bad = listing.errors[0];
  if (bad) throw new UsageError(`svmcheck ${command}: archived counterexample ${bad.message}`);
  const mine = listing.cases.filter((c) => c.cx.driver.name === driver.name);
  const notes: string[] = [];
  for (const { file, cx } of mine) {
    const replay = replayArchived(cx, driver);
    if (replay.violation)
      return { replayed: mine.length, failing: { file, cx, replay, violation: replay.violation }, notes };
    for (const p of statusProblems(cx, replay)) notes.push(`${file}: ${statusProblemText(p, cx)}`);
  }
  return { replayed: mine.length, failing: null, notes };
}
