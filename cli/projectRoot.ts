// The project that holds a file: the nearest directory above it (symlinks resolved) with a
// package.json or a .git. An archived case may name a driver module inside that project only.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function projectRoot(file: string): string | null {
  let dir: string;
  try {
    dir = realpathSync(dirname(file));
  } catch {
    return null;
  }
  for (;;) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
