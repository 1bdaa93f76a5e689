// svmcheck list [DIR]: the archive as a table (fingerprint, driver, invariant, status, steps). It
// only reads: a case missing its report is named on stderr, and run writes the report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveError } from '../../archive/archiveError.js';
import { casePaths } from '../../archive/casePaths.js';
import { listArchive } from '../../archive/listArchive.js';
import type { Io } from '../io.js';
import { parseArgs } from '../parseArgs.js';
import { DEFAULT_ARCHIVE } from '../archiveFlag.js';
import { shellWord } from '../shellWord.js';
import { UsageError } from '../usageError.js';

export async function listCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('list', argv);
  if (p.positional.length > 1) throw new UsageError(`svmcheck list: give at most one directory`);
  const dir = p.positional[0] ?? DEFAULT_ARCHIVE;
  if (!existsSync(dir)) throw new UsageError(`svmcheck list: ${dir}: no such directory`);
  let listing;
  try {
    listing = listArchive(dir);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck list: ${e.message}`);
    throw e;
  }
  const rows = listing.cases.map(({ file, cx }) => ({
    fingerprint: cx.fingerprint.slice(0, 12),
    driver: cx.driver.name,
    invariant: cx.violation.invariant,
    status: cx.status,
    steps: cx.program.ops.length,
    file,
  }));
  if (p.flags['json']) io.out(JSON.stringify(rows));
  else {
    const head = {
      fingerprint: 'fingerprint',
      driver: 'driver',
      invariant: 'invariant',
      status: 'status',
      steps: 'steps',
      file: 'file',
    };
    const w = (k: keyof typeof head): number =>
      Math.max(head[k].length, ...rows.map((r) => String(r[k]).length));
    const line = (r: Record<keyof typeof head, string | number>): string =>
      `${String(r.fingerprint).padEnd(w('fingerprint'))}  ${String(r.driver).padEnd(w('driver'))}  ${String(r.invariant).padEnd(w('invariant'))}  ${String(r.status).padEnd(w('status'))}  ${String(r.steps).padStart(w('steps'))}  ${r.file}`;
    io.out(line(head));
    for (const r of rows) io.out(line(r));
    io.out(`${rows.length} counterexample${rows.length === 1 ? '' : 's'} in ${dir}`);
  }
  for (const { file, cx } of listing.cases)
    if (!existsSync(casePaths(dir, cx).report))
      io.err(
        `svmcheck list: ${file} has no report beside it (its run stopped before writing it): svmcheck run --driver ${shellWord(cx.driver.module === null ? cx.driver.name : join(dir, cx.driver.module))} --archive ${shellWord(dir)} writes it when it replays the case`,
      );
  for (const e of listing.errors) io.err(`svmcheck list: ${e.message}`);
  return listing.errors.length ? 2 : 0;
}
