// The explorer's shortest counterexample for a driver: its scopes are tried smallest first, each to
// its default depth within a state budget, and the first violation found is returned.
import type { Driver } from '../model/driver.js';
import { explore, type ExploreResult } from './explore.js';
import type { Scope } from './scope.js';
import { scopesFor } from './scopes.js';

export interface Finding {
  scope: Scope;
  result: ExploreResult;
}

export function findShortest(driver: Driver, maxStatesPerScope: number): Finding | null {
  for (const scope of scopesFor(driver)) {
    const result = explore(driver, scope, {
      depth: scope.depth,
      maxStates: maxStatesPerScope,
      symmetry: true,
    });
    if (result.violation) return { scope, result };
  }
  return null;
}
