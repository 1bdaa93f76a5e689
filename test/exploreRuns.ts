// Every exploration the tests run, with what each must conclude: the correct drivers exhaust their
// smallest scope to depth 4 (npm test does not go to 6: minutes per driver on a shared machine) and
// reference and mirror every targeted scope below its default depth; each broken driver breaks its
// invariant in the scope and at the length test/exploreFound.ts lists. explore/manifest.json holds
// the exact figures of each (npm run explore:manifest writes it from this list).
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { gpusvm } from '../drivers/gpusvm.js';
import { kfd } from '../drivers/kfd.js';
import { mirror } from '../drivers/mirror.js';
import { fenceReference } from '../drivers/policies/fenceReference.js';
import { reference } from '../drivers/reference.js';
import { xe } from '../drivers/xe.js';
import { xeP2p } from '../drivers/xeP2p.js';
import type { Driver } from '../model/driver.js';
import type { Scope } from '../explore/scope.js';
import { SCOPES, scopeByName, smallestScope } from '../explore/scopes.js';
import { FOUND, FOUND_MAX_STATES } from './exploreFound.js';

export interface ExploreRun {
  driver: Driver;
  scope: Scope;
  depth: number;
  maxStates: number;
  /** The length of the shortest violation it must find, or null: none (every state to the depth checked). */
  breaksAt: number | null;
}

/** The scopes past the smallest ones (README "The explorer"); their default depths take seconds to a minute each with the CLI. */
const DEFAULT = new Set(['two-gpus', 'fork', 'svm-two-pages']);
const TARGETED = SCOPES.filter((s) => !s.name.endsWith('tiny') && !DEFAULT.has(s.name));

export function exploreRuns(): ExploreRun[] {
  // dmirror is not here: it models Linux 6.1's test_hmm.c with its bugs, and the explorer finds the
  // dmirror_do_read oops (a device-private page in the mirror) in 5 steps at scope 'tiny'.
  const correct: ExploreRun[] = [reference, mirror, gpusvm, fenceReference, xe, xeP2p, kfd].map((driver) => ({
    driver,
    scope: smallestScope(driver),
    depth: 4,
    maxStates: 2_000_000,
    breaksAt: null,
  }));
  // The two-page svm_range scope with splits and eviction, to depth 5 (59,974 states).
  correct.push({
    driver: reference,
    scope: scopeByName('svm-two-pages') as Scope,
    depth: 5,
    maxStates: 2_000_000,
    breaksAt: null,
  });
  // To depth 3 (svm-three-pages, whose default is 3, to 2).
  for (const driver of [reference, mirror])
    for (const scope of TARGETED)
      correct.push({
        driver,
        scope,
        depth: Math.min(3, scope.depth - 1),
        maxStates: 2_000_000,
        breaksAt: null,
      });
  const broken = FOUND.map(([name, scopeName, length]): ExploreRun => {
    const driver = BUILTIN_DRIVERS.find((x) => x.name === name);
    const scope = scopeByName(scopeName);
    if (!driver || !scope) throw new Error(`exploreRuns: no driver ${name} or scope ${scopeName}`);
    return { driver, scope, depth: length, maxStates: FOUND_MAX_STATES, breaksAt: length };
  });
  return [...correct, ...broken];
}
