// The explorer covers each correct driver's smallest scope exhaustively (npm test to depth 4: depth
// 6 takes minutes per driver on a shared machine, measured with the CLI, see README "Explorer"),
// and reference and mirror every targeted scope below its default depth: every reachable state
// checked, no invariant broken, no deadlock, no kernel BUG; and each covers exactly the states the
// explorer's manifest (explore/manifest.json) records for it.
import { describe, expect, it } from 'vitest';
import { explore } from '../explore/explore.js';
import { kernelOf } from '../model/kernelVersion.js';
import { expectAsManifest } from './exploreManifest.js';
import { exploreRuns } from './exploreRuns.js';

describe('explore, correct drivers', () => {
  for (const run of exploreRuns().filter((x) => x.breaksAt === null))
    it(`${run.driver.name}: exhausts ${run.scope.name} to depth ${run.depth} without a violation, as the manifest records`, () => {
      const r = explore(run.driver, run.scope, {
        depth: run.depth,
        maxStates: run.maxStates,
        symmetry: true,
      });
      expect(r.violation?.problem ?? null).toBeNull();
      expect(r.capped).toBe(false);
      expect(r.depthCompleted).toBe(run.depth);
      expect(r.levels.reduce((a, b) => a + b, 0)).toBe(r.distinct);
      expectAsManifest(r, kernelOf(run.scope.config));
    }, 120_000);
});
