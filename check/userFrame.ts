// Where in a user's module an exception was thrown: the first stack frame outside svmcheck's own
// code, Node's internals and node_modules. A driver's crash is reported at that file:line.
import { fileURLToPath } from 'node:url';

/** svmcheck's own source directories (under dist/ when compiled, the repository under vitest). */
const OWN_DIRS = [
  'api',
  'model',
  'drivers',
  'properties',
  'generators',
  'check',
  'report',
  'cli',
  'archive',
  'explore',
];
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Compiled, with source maps on (tsx turns them on), a frame names the .ts source beside dist/.
const ROOTS = ROOT.endsWith('/dist/') ? [ROOT, ROOT.slice(0, -'dist/'.length)] : [ROOT];

function ownCode(path: string): boolean {
  return (
    path.includes('/node_modules/') || ROOTS.some((r) => OWN_DIRS.some((d) => path.startsWith(`${r}${d}/`)))
  );
}

/** "path:line:col" of the first frame of `stack` in a file that is not svmcheck's, or null. */
export function userFrame(stack: string | undefined): string | null {
  return userFrames(stack)[0]?.at ?? null;
}

/** The frames of `stack` in files that are not svmcheck's: each line as printed, and its "path:line:col". */
export function userFrames(stack: string | undefined): Array<{ line: string; at: string }> {
  const out: Array<{ line: string; at: string }> = [];
  for (const line of (stack ?? '').split('\n')) {
    const m = /\((file:\/\/[^)]+|\/[^)]+)\)$|at (file:\/\/\S+|\/\S+)$/.exec(line.trim());
    const loc = m?.[1] ?? m?.[2];
    if (!loc) continue;
    const path = loc.startsWith('file://')
      ? fileURLToPath(loc.replace(/:\d+:\d+$/, ''))
      : loc.replace(/:\d+:\d+$/, '');
    if (ownCode(path) || path.startsWith('node:')) continue;
    out.push({ line: line.trim(), at: `${path}${/:\d+:\d+$/.exec(loc)?.[0] ?? ''}` });
  }
  return out;
}
