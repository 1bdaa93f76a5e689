// Partial-order reduction keeps every verdict (issue 23): each exploration of test/exploreRuns.ts
// (every scope and depth the tests explore in full: the correct drivers clean, each catalog entry
// found), run with reduction, concludes as the full exploration of the same driver, scope and depth
// that the manifest records: the same result, the same invariant broken (so the same catalog entry
// found), the same length of the shortest counterexample; it covers no more states, and covers
// exactly what its own manifest entry (reduction: por) records.
import { describe, expect, it } from 'vitest';
import { explore } from '../explore/explore.js';
import { manifestEntry } from '../explore/manifestEntry.js';
import { kernelOf } from '../model/kernelVersion.js';
import { expectAsManifest, manifestKey, readManifest } from './exploreManifest.js';
import { exploreRuns } from './exploreRuns.js';

describe('explore --reduce', () => {
  const full = new Map(readManifest().map((e) => [manifestKey(e), e]));
  it.each(
    exploreRuns().map((run) => [`${run.driver.name} ${run.scope.name} depth ${run.depth}`, run] as const),
  )('%s: the verdict of the full exploration', (_name, run) => {
    const kernel = kernelOf(run.scope.config);
    const r = explore(run.driver, run.scope, {
      depth: run.depth,
      maxStates: run.maxStates,
      symmetry: true,
      reduce: true,
    });
    const got = manifestEntry(r, kernel);
    const want = full.get(manifestKey({ ...got, reduction: 'none' }));
    expect(got.ids).toBe('canonical');
    if (!want) throw new Error(`explore/manifest.json has no full exploration for ${manifestKey(got)}`);
    const verdict = (e: typeof got): unknown => [e.result, e.invariant, e.moves, e.depthCompleted];
    expect(verdict(got)).toEqual(verdict(want));
    expect(got.distinct).toBeLessThanOrEqual(want.distinct);
    expect(r.reduce).toBe(true);
    expectAsManifest(r, kernel);
  });
});
