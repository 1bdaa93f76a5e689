// Rewriting an archived case in place, for `upgrade` re-recording its driver's identity: the new
// content goes to a temporary file in the same directory, is synced, and renamed over the old one,
// so a crash leaves either file whole. The fingerprint (and so the name) does not change.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ArchiveError } from './archiveError.js';
import type { CounterexampleFile } from './counterexampleFile.js';
import { tempName } from './tempName.js';

export function replaceCase(file: string, cx: CounterexampleFile): void {
  const tmp = join(
    dirname(file),
    tempName(basename(file), process.pid, threadId, randomBytes(4).toString('hex')),
  );
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, `${JSON.stringify(cx, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new ArchiveError(`${file}: cannot rewrite (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
