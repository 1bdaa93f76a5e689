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
import { caseExtensions, patchedFor, type CaseExtensions } from './caseExtensions.js';
import { caseLink } from './caseLink.js';
import type { LoadedDriver } from './loadDriver.js';
import { shellWord } from './shellWord.js';
import { UsageError } from './usageError.js';

export interface ArchivedFirst {
  replayed: number;
  failing: {
    file: string;
    cx: CounterexampleFile;
    replay: ArchivedReplay;
    violation: Problem;
    /** The modules the case was found with, as loaded for its replay. */
    ext: CaseExtensions;
  } | null;
  /** Cases that pass but resolve differently than when archived, and reports written. */
  notes: string[];
}

/** Writes the report of a case that has none; returns the note to print, or null. */
async function writeMissingReport(
  dir: string,
  file: string,
  cx: CounterexampleFile,
  loaded: LoadedDriver,
  ext: CaseExtensions,
): Promise<string | null> {
  const md = casePaths(dir, cx).report;
  if (existsSync(md)) return null;
  const x = explainCase({
    cx,
    driver: patchedFor(loaded, ext),
    invariants: ext.invariants,
    replay: `npx svmcheck replay ${shellWord(file)}`,
    driverToday: await driverIdentity(
      loaded.base ?? loaded.driver,
      loaded.module,
      cx.driver.hashScheme ?? 'text',
    ),
    link: caseLink(file),
  });
  archiveCase(dir, cx, renderMarkdown(x));
  return `${md}: written (the run that archived ${file} stopped before its report)`;
}

/**
 * Each case replays with the modules it was found with (its extensions), not the run's: `named`
 * lists the run's own --invariant and --kernel-patch modules, which may lie outside the project.
 */
export async function replayArchivedFirst(
  command: string,
  dir: string,
  loaded: LoadedDriver,
  named: readonly string[] = [],
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
    const ext = await caseExtensions(file, cx, { named, projectModules: true, sameCode: true });
    try {
      const wrote = await writeMissingReport(dir, file, cx, loaded, ext);
      if (wrote) notes.push(wrote);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck ${command}: --archive ${e.message}`);
      throw e;
    }
    const replay = replayArchived(cx, patchedFor(loaded, ext), ext.invariants);
    if (replay.violation)
      return {
        replayed: mine.length,
        failing: { file, cx, replay, violation: replay.violation, ext },
        notes,
      };
    for (const p of statusProblems(cx, replay)) notes.push(`${file}: ${statusProblemText(p, cx)}`);
  }
  return { replayed: mine.length, failing: null, notes };
}
