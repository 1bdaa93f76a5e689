// Writing a counterexample and its report into the archive without ever losing or corrupting one.
// Each file is written to a temporary name in the same directory, synced, then hard-linked to its
// final name: link(2) fails instead of replacing, so of two writers racing on one fingerprint the
// first wins, the second finds an identical file, and a different file already there is kept.
// Temporary files a killed run left behind are removed before writing (tempFiles.ts).
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ArchiveError } from './archiveError.js';
import { casePaths } from './casePaths.js';
import type { CounterexampleFile } from './counterexampleFile.js';
import { cleanStaleTemps } from './tempFiles.js';
import { tempName } from './tempName.js';

export type WriteOutcome = 'created' | 'identical' | 'kept-existing';

export interface ArchiveOutcome {
  json: string;
  report: string;
  /** What happened to the counterexample file (the report beside it is only ever added). */
  outcome: WriteOutcome;
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

function createExclusive(dir: string, name: string, content: string): WriteOutcome {
  const final = join(dir, name);
  const tmp = join(dir, tempName(name, process.pid, threadId, randomBytes(4).toString('hex')));
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, final);
    return 'created';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return sameContent(final, content) ? 'identical' : 'kept-existing';
    // Filesystems without hard links: rename, which may only replace a file with identical content.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    try {
      readFileSync(final);
      return sameContent(final, content) ? 'identical' : 'kept-existing';
    } catch {
      renameSync(tmp, final);
      return 'created';
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function archiveCase(dir: string, cx: CounterexampleFile, markdown: string): ArchiveOutcome {
  const paths = casePaths(dir, cx);
  try {
    mkdirSync(dir, { recursive: true });
    cleanStaleTemps(dir);
    const outcome = createExclusive(dir, basename(paths.json), `${JSON.stringify(cx, null, 2)}\n`);
    // The report is derived data: add it when missing, never replace one (people may have edited it).
    createExclusive(dir, basename(paths.report), markdown);
    return { ...paths, outcome };
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new ArchiveError(`${dir}: cannot write to the archive (${err.code ?? err.message})`);
  }
}
