// A path as CI shows it: relative to the repository the job checked out (GITHUB_WORKSPACE under
// GitHub Actions, else the working directory), forward slashes; null when it lies outside.
import { isAbsolute, relative, resolve, sep } from 'node:path';

export function repoPath(path: string, env: Record<string, string | undefined>): string | null {
  const root = resolve(env['GITHUB_WORKSPACE'] || process.cwd());
  const rel = relative(root, resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}
