// upgrade on a current-format case: re-record its driver's identity (today's hash scheme, with a
// hash per file) once a replay shows the case still behaves as its status says. The case's
// program, violation and fingerprint are kept; only `driver` changes, and the file is rewritten
// in place atomically. The report beside it is derived data: `svmcheck report` renders it again.
import { ArchiveError } from '../archive/archiveError.js';
import type { CounterexampleFile } from '../archive/counterexampleFile.js';
import { driverIdentity } from '../archive/driverIdentity.js';
import { replaceCase } from '../archive/replaceCase.js';
import { replayArchived } from '../archive/replayArchived.js';
import { statusProblems } from '../archive/statusProblems.js';
import { statusProblemText } from '../report/statusProblemText.js';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { moduleIdentity } from '../archive/moduleIdentity.js';
import { NO_EXTENSIONS, patchedFor, type CaseExtensions } from './caseExtensions.js';
import type { LoadedDriver } from './loadDriver.js';
import { UsageError } from './usageError.js';

/** The case's extension modules hashed again (one that no longer exists keeps its record: a suite or scope module only generated the program). */
function rehashed(file: string, cx: CounterexampleFile): CounterexampleFile['extensions'] {
  return cx.extensions?.map((x) => {
    const path = resolve(dirname(file), x.module);
    return existsSync(path) ? { ...x, ...moduleIdentity(path) } : x;
  });
}

/** The line upgrade prints for the file. */
export async function refreshIdentity(
  file: string,
  cx: CounterexampleFile,
  loaded: LoadedDriver,
  ext: CaseExtensions = NO_EXTENSIONS,
): Promise<string> {
  const id = await driverIdentity(loaded.driver, loaded.module);
  const extensions = rehashed(file, cx);
  const changedModules = (extensions ?? []).filter((x, i) => x.hash !== cx.extensions?.[i]?.hash);
  if (cx.driver.hashScheme === 'code' && cx.driver.hash === id.hash && changedModules.length === 0)
    return `${file}: current (driver identity unchanged)`;
  const problem = statusProblems(cx, replayArchived(cx, patchedFor(loaded, ext), ext.invariants))[0];
  if (problem)
    throw new UsageError(
      `svmcheck upgrade: ${file}: ${statusProblemText(problem, cx)}: the driver's identity is not re-recorded`,
    );
  const next: CounterexampleFile = {
    ...cx,
    ...(extensions ? { extensions } : {}),
    driver: {
      name: cx.driver.name,
      module: cx.driver.module,
      hash: id.hash,
      hashOf: id.hashOf,
      hashScheme: 'code',
      fileHashes: id.fileHashes,
    },
  };
  try {
    replaceCase(file, next);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck upgrade: ${e.message}`);
    throw e;
  }
  const modules = changedModules.length
    ? `; ${changedModules.map((x) => `${x.kind} module ${x.module}`).join(', ')} re-recorded`
    : '';
  return `${file}: driver identity re-recorded (sha256 ${cx.driver.hash.slice(0, 12)} -> ${id.hash.slice(0, 12)}, code of ${id.hashOf.length} files)${modules}; the case replays as its status says`;
}
