// Reading a counterexample file: size limit first, then JSON, then the schema and its checks.
import { readFileSync, statSync } from 'node:fs';
import { ArchiveError } from './archiveError.js';
import type { CounterexampleFile } from './counterexampleFile.js';
import { parseCounterexample } from './parseCounterexample.js';

/** Files above this are refused unread: a counterexample is a few kilobytes. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function loadCounterexampleFile(path: string): CounterexampleFile {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ArchiveError(`${path}: not a regular file`);
    if (st.size > MAX_FILE_BYTES)
      throw new ArchiveError(`${path}: ${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArchiveError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ArchiveError(`${path}: not valid JSON, truncated or malformed (${(e as Error).message})`);
  }
  return parseCounterexample(path, json);
}
