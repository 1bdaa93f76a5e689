// svmcheck's own directory, found from this module whether it runs from the sources (vitest, tsx)
// or from the compiled dist/ (the CLI binary, worker threads).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'svmcheck') {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('packageRoot: no package.json of svmcheck above this module');
    dir = up;
  }
}

/** True when this code was loaded from the TypeScript sources rather than from dist/. */
export function runningFromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}
