// Every counterexample file in an archive directory (schema.json aside), in name order, with the
// files that could not be read reported as data rather than thrown.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArchiveError } from './archiveError.js';
import type { CounterexampleFile } from './counterexampleFile.js';
import { loadCounterexampleFile } from './loadCounterexampleFile.js';

export interface ArchiveListing {
  cases: Array<{ file: string; cx: CounterexampleFile }>;
  errors: ArchiveError[];
}

export function listArchive(dir: string): ArchiveListing {
  if (!existsSync(dir)) return { cases: [], errors: [] };
  if (!statSync(dir).isDirectory()) throw new ArchiveError(`${dir}: not a directory`);
  const out: ArchiveListing = { cases: [], errors: [] };
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json') && n !== 'schema.json' && !n.startsWith('.'))
    .sort();
  for (const n of names) {
    const file = join(dir, n);
    try {
      out.cases.push({ file, cx: loadCounterexampleFile(file) });
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      out.errors.push(e);
    }
  }
  return out;
}
