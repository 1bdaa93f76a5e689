// What a run leaves for CI: the JUnit file (written atomically) and, under GitHub Actions, error
// annotations on stdout. Files are named relative to the repository (repoPath), as GitHub needs to
// place an annotation; a file outside it is left unnamed rather than given as an absolute path.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { githubErrorAnnotation } from '../report/githubAnnotation.js';
import { renderJunit, type JunitCase } from '../report/junit.js';
import type { Io } from './io.js';
import { repoPath } from './repoPath.js';
import { UsageError } from './usageError.js';

/** Refuses a --junit path whose directory does not exist before any work is done. */
export function checkJunitPath(command: string, path: string | undefined): void {
  if (path === undefined) return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`svmcheck ${command}: --junit ${path}: directory ${dir} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`svmcheck ${command}: --junit ${path} is a directory`);
}

export interface CiFailure {
  title: string;
  message: string;
  file?: string;
}

export function writeCiOutputs(
  command: string,
  io: Io,
  junit: string | undefined,
  cases: readonly JunitCase[],
  failures: readonly CiFailure[],
  startedAt: Date,
): void {
  const env = io.env ?? process.env;
  const inRepo = (f: string | undefined): string | undefined =>
    f === undefined ? undefined : (repoPath(f, env) ?? undefined);
  if (env['GITHUB_ACTIONS'] === 'true')
    for (const f of failures) io.out(githubErrorAnnotation(f.title, f.message, inRepo(f.file)));
  if (junit === undefined) return;
  const tmp = `${junit}.${process.pid}.tmp`;
  const run = { timestamp: startedAt.toISOString().replace(/\.\d{3}Z$/, ''), hostname: hostname() };
  const located = cases.map(({ file, ...c }) => {
    const f = inRepo(file);
    return f === undefined ? c : { ...c, file: f };
  });
  try {
    writeFileSync(tmp, renderJunit(`svmcheck ${command}`, located, run));
    renameSync(tmp, junit);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(
      `svmcheck ${command}: --junit ${junit}: ${(e as NodeJS.ErrnoException).code ?? 'write failed'}`,
    );
  }
}
