// Hypothesis-style: before generating anything, a run replays the archived cases of its driver;
// a case that still breaks an invariant is the run's failure. As the one command that writes to
// the archive before anything else, it also tidies it: temporary files a killed run left are
// removed, and a case whose run died between its .json and its .md gets its report written.
import { existsSync } from 'node:fs';
import { archiveCase } from '../archive/archiveCase.js';
import { ArchiveError } from '../archive/archiveError.js';
import { casePaths } from '../archive/casePaths.js';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { driverIdentity } from '../archive/driverIdentity.js';
import { listArchive } from '../archive/listArchive.js';
import { replayArchived, type ArchivedReplay } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import { cleanStaleTemps } from '../archive/tempFiles.js';
import type { Problem } from '../properties/invariant.js';
import { explainCase } from '../report/explainCase.js';
import { renderMarkdown } from '../report/markdown.js';
import { statusProblemText } from '../report/statusProblemText.js';
import { caseLink } from './caseLink.js';
import type { LoadedDriver } from './loadDriver.js';
import { shellWord } from './shellWord.js';
import { UsageError } from './usageError.js';

export interface ArchivedFirst {
  replayed: number;
  failing: { file: string; cx: CounterexampleFile; replay: ArchivedReplay; violation: Problem } | null;
  /** Cases that pass but resolve differently than when archived, and reports written. */
  notes: string[];
}

/** Writes the report of a case that has none; returns the note to print, or null. */
async function writeMissingReport(
  dir: string,
  file: string,
  cx: CounterexampleFile,
  loaded: LoadedDriver,
): Promise<string | null> {
  const md = casePaths(dir, cx).report;
  if (existsSync(md)) return null;
  const x = explainCase({
    cx,
    driver: loaded.driver,
    replay: `npx svmcheck replay ${shellWord(file)}`,
    driverToday: await driverIdentity(loaded.driver, loaded.module, cx.driver.hashScheme ?? 'text'),
    link: caseLink(file),
  });
  archiveCase(dir, cx, renderMarkdown(x));
  return `${md}: written (the run that archived ${file} stopped before its report)`;
}

export async function replayArchivedFirst(
  command: string,
  dir: string,
  loaded: LoadedDriver,
): Promise<ArchivedFirst> {
  const { driver } = loaded;
  let listing;
  try {
    listing = listArchive(dir);
    cleanStaleTemps(dir);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck ${command}: --archive ${e.message}`);
    throw e;
  }
  const bad = listing.errors[0];
  if (bad) throw new UsageError(`svmcheck ${command}: archived counterexample ${bad.message}`);
  const mine = listing.cases.filter((c) => c.cx.driver.name === driver.name);
  const notes: string[] = [];
  for (const { file, cx } of mine) {
    try {
      const wrote = await writeMissingReport(dir, file, cx, loaded);
      if (wrote) notes.push(wrote);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck ${command}: --archive ${e.message}`);
      throw e;
    }
    const replay = replayArchived(cx, driver);
    if (replay.violation)
      return { replayed: mine.length, failing: { file, cx, replay, violation: replay.violation }, notes };
    for (const p of statusProblems(cx, replay)) notes.push(`${file}: ${statusProblemText(p, cx)}`);
  }
  return { replayed: mine.length, failing: null, notes };
}
