// Canonical activity ids keep every verdict (issue 23): each exploration of test/exploreRuns.ts
// (every scope and depth the tests explore in full: the correct drivers clean, each catalog entry
// found), run with activity ids as spawned (the explorer before explore/ActivityIds.ts), concludes
// as the default exploration with canonical ids that the manifest records: the same result, the
// same invariant broken (so the same catalog entry found), the same length of the shortest
// counterexample. A clean exploration with canonical ids covers no more states; and the run with
// ids as spawned covers exactly what its own manifest entry (ids: spawn-order) records.
import { describe, expect, it } from 'vitest';
import { explore } from '../explore/explore.js';
import { manifestEntry } from '../explore/manifestEntry.js';
import { kernelOf } from '../model/kernelVersion.js';
import { expectAsManifest, manifestKey, readManifest } from './exploreManifest.js';
import { exploreRuns } from './exploreRuns.js';

describe('explore --spawn-order-ids', () => {
  const recorded = new Map(readManifest().map((e) => [manifestKey(e), e]));
  it.each(
    exploreRuns().map((run) => [`${run.driver.name} ${run.scope.name} depth ${run.depth}`, run] as const),
  )('%s: the verdict of the exploration with canonical ids', (_name, run) => {
    const kernel = kernelOf(run.scope.config);
    const r = explore(run.driver, run.scope, {
      depth: run.depth,
      maxStates: run.maxStates,
      symmetry: true,
      canonicalIds: false,
    });
    const got = manifestEntry(r, kernel);
    expect(got.ids).toBe('spawn-order');
    const canonical = recorded.get(manifestKey({ ...got, ids: 'canonical' }));
    if (!canonical)
      throw new Error(`explore/manifest.json has no exploration with canonical ids for ${manifestKey(got)}`);
    const verdict = (e: typeof got): unknown => [e.result, e.invariant, e.moves, e.depthCompleted];
    expect(verdict(canonical)).toEqual(verdict(got));
    if (got.result === 'ok') expect(canonical.distinct).toBeLessThanOrEqual(got.distinct);
    expectAsManifest(r, kernel);
  });
});
