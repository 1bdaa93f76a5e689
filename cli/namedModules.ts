// The modules a command that reads archived cases names with --invariant and --kernel-patch:
// paths (resolved) the case's own extension modules may be loaded from wherever they lie.
import { resolve } from 'node:path';
import type { Parsed } from './parseArgs.js';

export function namedModules(p: Parsed): string[] {
  const list = (f: string): string[] =>
    p.flags[f] === undefined
      ? []
      : String(p.flags[f])
          .split(',')
          .filter((x) => x !== '');
  return [...list('invariant'), ...list('kernel-patch')].map((x) => resolve(x));
}
