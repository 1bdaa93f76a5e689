// explore --workers N: the levels expanded on worker threads (explore/workers/exploreOnWorkers.ts)
// give exactly what explore() gives in process, for any N: the same states, ids, counts per depth,
// transitions, the same shortest counterexample (an invariant, a one-state livelock, a fair-cycle
// lockup) and the same stop at --max-states.
import { describe, expect, it } from 'vitest';
import { exploreWorkerPool } from '../cli/exploreWorkerPool.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { exploreOnWorkers } from '../explore/workers/exploreOnWorkers.js';

const CASES: ReadonlyArray<[driver: string, scope: string, depth: number, maxStates: number, what: string]> =
  [
    ['reference', 'svm-tiny', 3, 1_000_000, 'clean'],
    ['ignore-unmap', 'tiny', 4, 200_000, 'an invariant broken'],
    ['mirror-stale-seq-retry', 'tiny', 5, 200_000, 'a livelock seen from one state'],
    ['svm-flush-busy-wait', 'svm-one-cpu', 5, 200_000, 'a lockup (fair cycle)'],
    ['mirror', 'tiny', 5, 3_000, 'stopped by --max-states'],
  ];

describe('explore on worker threads', () => {
  for (const [name, scopeName, depth, maxStates, what] of CASES)
    it(`${name} in ${scopeName} to depth ${depth} (${what}): the same result with 2 and 3 workers`, async () => {
      const d = BUILTIN_DRIVERS.find((x) => x.name === name);
      const scope = scopeByName(scopeName);
      if (!d || !scope) throw new Error(`no driver ${name} or scope ${scopeName}`);
      const opts = { depth, maxStates, symmetry: true };
      const want = explore(d, scope, opts);
      expect(want.violation !== null || want.capped || what === 'clean').toBe(true);
      for (const n of [2, 3]) {
        const pool = exploreWorkerPool(n, name, scope, { symmetry: true });
        try {
          expect(await exploreOnWorkers(d, scope, opts, pool)).toEqual(want);
        } finally {
          await pool.close();
        }
      }
    }, 120_000);
});
