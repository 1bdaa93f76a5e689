// Reading an archive file's text and JSON: the size limit first (a counterexample is a few
// kilobytes), then the bytes, then JSON. Every problem is one ArchiveError line naming the file;
// a JSON error says where it is, never quotes the file's bytes (which may span lines or hold
// control characters).
import { readFileSync, statSync } from 'node:fs';
import { ArchiveError } from './archiveError.js';

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

/** Where JSON.parse stopped, as line and column, or the kind of error when it names no position. */
function jsonProblem(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at) {
    const pos = Number(at[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return `error at line ${line}, column ${column}`;
  }
  if (/Unexpected end of JSON input/.test(message)) return 'it ends early';
  // V8 quotes the text after the token it did not expect: keep only the token, printably.
  const token = /^Unexpected token '(.*?)', "/s.exec(message)?.[1];
  if (token !== undefined) return `unexpected character ${JSON.stringify(token)} at the start`;
  return 'unparsable';
}

export function readArchiveJson(path: string): unknown {
  const text = readArchiveText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ArchiveError(
      `${path}: not valid JSON, truncated or malformed (${jsonProblem(text, (e as Error).message)})`,
    );
  }
}
