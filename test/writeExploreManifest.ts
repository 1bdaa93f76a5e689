// npm run explore:manifest: runs every exploration of test/exploreRuns.ts, without and then with
// partial-order reduction, and writes their figures to explore/manifest.json (then formatted by
// prettier), for the tests to hold later runs to.
import { writeFileSync } from 'node:fs';
import { explore } from '../explore/explore.js';
import { manifestEntry } from '../explore/manifestEntry.js';
import { kernelOf } from '../model/kernelVersion.js';
import { exploreRuns } from './exploreRuns.js';

const entries = [false, true].flatMap((reduce) =>
  exploreRuns().map((run) => {
    const t0 = performance.now();
    const r = explore(run.driver, run.scope, {
      depth: run.depth,
      maxStates: run.maxStates,
      symmetry: true,
      reduce,
    });
    const e = manifestEntry(r, kernelOf(run.scope.config));
    process.stderr.write(
      `${e.driver} ${e.scope} depth ${e.depth}: ${e.result}, ${e.distinct} distinct, ${e.generated} transitions (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    return e;
  }),
);
const note =
  'Written by npm run explore:manifest from test/exploreRuns.ts; test/exploreReference.test.ts and test/exploreBroken.test.ts hold every exploration they run to its entry, test/exploreReduction.test.ts the same explorations with partial-order reduction (reduction: por).';
writeFileSync(
  new URL('../explore/manifest.json', import.meta.url),
  JSON.stringify({ note, entries }, null, 2) + '\n',
);
