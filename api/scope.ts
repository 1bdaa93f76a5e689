// A built-in explorer scope by name, to start a scope of one's own from.
import type { Scope } from '../explore/scope.js';
import { SCOPES, scopeByName } from '../explore/scopes.js';

/** The built-in scope `name` (svmcheck explore --help lists them). */
export function scope(name: string): Scope {
  const s = scopeByName(name);
  if (!s)
    throw new Error(
      `scope(${JSON.stringify(name)}): no such scope (${SCOPES.map((x) => x.name).join(', ')})`,
    );
  return s;
}
