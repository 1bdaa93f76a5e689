// The code a module loaded by path runs: the module and the files it imports by relative path
// within its own directory, hashed as a driver's are (archive/driverIdentity.ts). A counterexample
// records it for its driver module and for the modules found beside it (--invariant,
// --kernel-patch, --suite, --scope), so a replay can tell whether it runs the same code.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { codeText } from './codeText.js';

export type HashScheme = 'text' | 'code';

export interface CodeHash {
  /** sha256 (hex) over the files, each as its path, a NUL, its code (or text) and a NUL. */
  hash: string;
  /** The files hashed, relative to `base`, sorted. */
  hashOf: string[];
  /** Per file of hashOf, the first 16 hex digits of the sha256 of its code (scheme 'code'). */
  fileHashes: string[];
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The module and its relative imports, transitively, that lie inside `root`. */
function closure(entry: string, root: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const spec = resolve(dirname(file), m[1] as string);
      const candidates = file.endsWith('.ts') ? [spec.replace(/\.js$/, '.ts'), spec] : [spec];
      const hit = candidates.find((c) => existsSync(c));
      if (hit && (hit + sep).startsWith(root + sep) && !seen.has(hit)) todo.push(hit);
    }
  }
  return [...seen];
}

/** The hash of `entry` and its relative imports inside `tree`, paths taken relative to `base`. */
export function codeHash(entry: string, tree: string, base: string, scheme: HashScheme): CodeHash {
  const files = closure(entry, tree)
    .map((f) => ({ f, rel: relative(base, f).split(sep).join('/') }))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const h = createHash('sha256');
  const fileHashes: string[] = [];
  for (const { f, rel } of files) {
    const text = readFileSync(f, 'utf8');
    const hashed = scheme === 'code' ? codeText(text) : text;
    h.update(`${rel}\0${hashed}\0`);
    fileHashes.push(createHash('sha256').update(hashed).digest('hex').slice(0, 16));
  }
  return { hash: h.digest('hex'), hashOf: files.map((x) => x.rel), fileHashes };
}

/** The identity of a user's module (absolute path): its code and its relative imports in its directory. */
export function moduleIdentity(path: string): CodeHash {
  const entry = resolve(path);
  return codeHash(entry, dirname(entry), dirname(entry), 'code');
}
