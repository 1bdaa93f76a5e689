// The explorer's manifest (explore/manifest.json) records exactly the explorations the tests run
// (test/exploreRuns.ts), each with the verdict it must have: a correct driver's run checked every
// state to its depth, a broken driver's stopped at its shortest violation, with the level before it
// complete. The figures themselves are compared where the explorations run (exploreReference,
// exploreBroken).
import { describe, expect, it } from 'vitest';
import { kernelOf } from '../model/kernelVersion.js';
import { manifestKey, readManifest } from './exploreManifest.js';
import { exploreRuns } from './exploreRuns.js';

describe('the explorer manifest', () => {
  const entries = readManifest();
  const runs = exploreRuns();

  it('has one entry per exploration the tests run, in their order', () => {
    expect(entries.map(manifestKey)).toEqual(
      runs.map((r) =>
        manifestKey({
          driver: r.driver.name,
          scope: r.scope.name,
          kernel: kernelOf(r.scope.config),
          depth: r.depth,
          symmetry: true,
          reduction: 'none',
        }),
      ),
    );
  });

  it('records each with the verdict it must have', () => {
    entries.forEach((e, i) => {
      const run = runs[i];
      if (!run) throw new Error(`no run for ${manifestKey(e)}`);
      if (run.breaksAt === null) {
        expect(e.result).toBe('ok');
        expect(e.depthCompleted).toBe(e.depth);
        expect(e.levels.reduce((a, b) => a + b, 0)).toBe(e.distinct);
      } else {
        expect(e.result).toBe('violation');
        expect(e.moves).toBe(run.breaksAt);
        expect(e.depthCompleted).toBe(run.breaksAt - 1);
      }
    });
  });
});
