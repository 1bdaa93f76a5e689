// Reading a counterexample file: size limit first, then JSON, then the schema and its checks.
import type { CounterexampleFile } from './counterexampleFile.js';
import { parseCounterexample } from './parseCounterexample.js';
import { readArchiveJson } from './readArchiveText.js';

export { MAX_FILE_BYTES } from './readArchiveText.js';

export function loadCounterexampleFile(path: string): CounterexampleFile {
  return parseCounterexample(path, readArchiveJson(path));
}
