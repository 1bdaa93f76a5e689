// An explorer scope module's export (--scope PATH), checked when it loads.
import type { Scope } from '../explore/scope.js';
import { SCOPES } from '../explore/scopes.js';
import { OP_KINDS } from '../model/ops.js';

/**
 * Checks a scope (the machine, the threads, the operations and the depth the explorer covers
 * exhaustively) and returns it. Start from a built-in one: `{ ...scope('tiny'), name: ..., depth: 8 }`.
 */
export function defineScope(s: Scope): Scope {
  const where = `defineScope(${JSON.stringify(s.name)})`;
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name))
    throw new Error(`${where}: the name must be lower case letters, digits and -`);
  if (SCOPES.some((x) => x.name === s.name)) throw new Error(`${where}: a built-in scope has that name`);
  const unknown = (s.kinds ?? []).filter((k) => !OP_KINDS.includes(k));
  if (unknown.length) throw new Error(`${where}: unknown operation(s) ${unknown.join(', ')}`);
  if (!Number.isInteger(s.depth) || s.depth < 1)
    throw new Error(`${where}: depth must be a positive integer`);
  if (!Number.isInteger(s.threads) || s.threads < 1)
    throw new Error(`${where}: threads must be a positive integer`);
  return s;
}
