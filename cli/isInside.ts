import { isAbsolute, relative } from 'node:path';

/** True when `path` (already resolved, symlinks included) lies inside the directory `root`. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
