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
import type { LoadedDriver } from './loadDriver.js';
import { UsageError } from './usageError.js';

/** The line upgrade prints for the file. */
export async function refreshIdentity(
  file: string,
  cx: CounterexampleFile,
  loaded: LoadedDriver,
): Promise<string> {
  const id = await driverIdentity(loaded.driver, loaded.module);
  if (cx.driver.hashScheme === 'code' && cx.driver.hash === id.hash)
    return `${file}: current (driver identity unchanged)`;
  const problem = statusProblems(cx, replayArchived(cx, loaded.driver))[0];
  if (problem)
    throw new UsageError(
      `svmcheck upgrade: ${file}: ${statusProblemText(problem, cx)}: the driver's identity is not re-recorded`,
    );
  const next: CounterexampleFile = {
    ...cx,
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
  return `${file}: driver identity re-recorded (sha256 ${cx.driver.hash.slice(0, 12)} -> ${id.hash.slice(0, 12)}, code of ${id.hashOf.length} files); the case replays as its status says`;
}
