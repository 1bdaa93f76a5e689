// Removing the archive's temporary files (tempName.ts) that a killed run left behind. One is stale
// when the process that made it no longer runs, or when it is older than a day (no write takes that
// long; this also covers a process id reused since). Only names of exactly this form are removed.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TEMP_RE = /^\.(.+)\.(\d+)\.(\d+)\.([0-9a-f]{8})\.tmp$/;

const DAY_MS = 24 * 3600 * 1000;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the stale temporary files in `dir`; returns their names. */
export function cleanStaleTemps(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names.sort()) {
    const m = TEMP_RE.exec(n);
    if (!m) continue;
    const pid = Number(m[2]);
    const path = join(dir, n);
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      const mine = pid === process.pid;
      if ((!mine && !running(pid)) || now - st.mtimeMs > DAY_MS) {
        rmSync(path, { force: true });
        removed.push(n);
      }
    } catch {
      // Gone already (another run cleaned it, or its writer finished): nothing to do.
    }
  }
  return removed;
}
