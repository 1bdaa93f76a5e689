// The explorer's manifest (explore/manifest.json) records exactly the explorations the tests run
// (test/exploreRuns.ts), in full and reduced, each with the verdict it must have: a correct driver's run checked every
// state to its depth, a broken driver's stopped at its shortest violation, with the level before it
// complete. The figures themselves are compared where the explorations run (exploreReference,
// exploreBroken).
import { describe, expect, it } from 'vitest';
import { kernelOf } from '../model/kernelVersion.js';
import { manifestKey, readManifest } from './exploreManifest.js';
import { exploreRuns, type ExploreRun } from './exploreRuns.js';

// Each exploration is recorded three times: in full, with partial-order reduction (reduction: por,
// test/exploreReduction.test.ts runs those), both with canonical activity ids, and in full with ids
// as spawned (ids: spawn-order, test/exploreCanonicalIds.test.ts runs those).
const VARIANTS = [
  ['none', 'canonical'],
  ['por', 'canonical'],
  ['none', 'spawn-order'],
] as const;
const keyOf = (r: ExploreRun, reduction: 'none' | 'por', ids: 'canonical' | 'spawn-order'): string =>
  manifestKey({
    driver: r.driver.name,
    scope: r.scope.name,
    kernel: kernelOf(r.scope.config),
    depth: r.depth,
    symmetry: true,
    reduction,
    ids,
  });

describe('the explorer manifest', () => {
  const entries = readManifest();
  const runs = new Map(
    exploreRuns().flatMap((r) => VARIANTS.map(([x, ids]) => [keyOf(r, x, ids), r] as const)),
  );

  it('has one entry per exploration the tests run (npm run explore:manifest writes them)', () => {
    expect(entries.map(manifestKey).sort()).toEqual([...runs.keys()].sort());
  });

  it('records each with the verdict it must have', () => {
    for (const e of entries) {
      const run = runs.get(manifestKey(e));
      if (!run) throw new Error(`explore/manifest.json: no test runs ${manifestKey(e)}`);
      if (run.breaksAt === null) {
        expect(e.result, manifestKey(e)).toBe('ok');
        expect(e.depthCompleted, manifestKey(e)).toBe(e.depth);
        expect(e.levels.reduce((a, b) => a + b, 0)).toBe(e.distinct);
      } else {
        expect(e.result, manifestKey(e)).toBe('violation');
        expect(e.moves, manifestKey(e)).toBe(run.breaksAt);
        // The level before it complete; a fair cycle (a livelock judged after the search,
        // explore/FairCycles.ts) leaves its own depth complete too (exploreBroken checks which).
        expect([run.breaksAt - 1, run.breaksAt], manifestKey(e)).toContain(e.depthCompleted);
      }
    }
  });
});
