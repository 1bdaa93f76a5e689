// npm run explore:manifest: runs every exploration of test/exploreRuns.ts, in full and with
// partial-order reduction (both with canonical activity ids), then in full with ids as spawned, and
// writes their figures to explore/manifest.json (then formatted by prettier), for the tests to hold
// later runs to.
import { writeFileSync } from 'node:fs';
import { explore } from '../explore/explore.js';
import { manifestEntry } from '../explore/manifestEntry.js';
import { kernelOf } from '../model/kernelVersion.js';
import { exploreRuns } from './exploreRuns.js';

const variants = [
  { reduce: false, canonicalIds: true },
  { reduce: true, canonicalIds: true },
  { reduce: false, canonicalIds: false },
];
const entries = variants.flatMap(({ reduce, canonicalIds }) =>
  exploreRuns().map((run) => {
    const t0 = performance.now();
    const r = explore(run.driver, run.scope, {
      depth: run.depth,
      maxStates: run.maxStates,
      symmetry: true,
      reduce,
      canonicalIds,
    });
    const e = manifestEntry(r, kernelOf(run.scope.config));
    process.stderr.write(
      `${e.driver} ${e.scope} depth ${e.depth} ${e.reduction} ${e.ids}: ${e.result}, ${e.distinct} distinct, ${e.generated} transitions (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    return e;
  }),
);
const note =
  'Written by npm run explore:manifest from test/exploreRuns.ts; test/exploreReference.test.ts and test/exploreBroken.test.ts hold every exploration they run to its entry, test/exploreReduction.test.ts the same explorations with partial-order reduction (reduction: por), test/exploreCanonicalIds.test.ts the same explorations in full with activity ids as spawned (ids: spawn-order).';
writeFileSync(
  new URL('../explore/manifest.json', import.meta.url),
  JSON.stringify({ note, entries }, null, 2) + '\n',
);
