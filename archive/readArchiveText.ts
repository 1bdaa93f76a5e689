// Reading an archive file's text and JSON: the size limit first (a counterexample is a few
// kilobytes), then the bytes, then JSON. Every problem is one ArchiveError line naming the file;
// a JSON error says where it is, never quotes the file's bytes (which may span lines or hold
// control characters).
import { readFileSync, statSync } from 'node:fs';
import { ArchiveError } from './archiveError.js';
import { jsonErrorAt } from './jsonErrorAt.js';

/** Files above this are refused unread. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export function readArchiveText(path: string): string {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ArchiveError(`${path}: not a regular file`);
    if (st.size > MAX_FILE_BYTES)
      throw new ArchiveError(`${path}: ${st.size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArchiveError(
      `${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`}`,
    );
  }
}

/** Where the JSON error is, as line and column, and the character found there (printable). */
function jsonProblem(text: string): string {
  const at = jsonErrorAt(text);
  if (at === null) return 'nested too deeply';
  if (at < 0 || at >= text.length) return 'it ends early';
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return `unexpected ${JSON.stringify(text[at])} at line ${line}, column ${column}`;
}

export function readArchiveJson(path: string): unknown {
  const text = readArchiveText(path);
  try {
    return JSON.parse(text);
  } catch {
    throw new ArchiveError(`${path}: not valid JSON, truncated or malformed (${jsonProblem(text)})`);
  }
}
