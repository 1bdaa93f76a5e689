// Whether a .ts file in `dir` is an ES module: Node (and tsx) decide by the nearest package.json's
// "type". Outside such a package a driver module must be .mts (it imports svmcheck/driver, ESM).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function esmScope(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(d) === d) return false;
  }
}
