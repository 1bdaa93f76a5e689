// explore --workers: one exploration in process and on 2 worker threads (wall-clock seconds, the
// output identical), for the speed-up the workers give. Each worker starts cold: loading the build
// and compiling the model's code is part of what a user waits for, so it is counted.
import { exploreWorkerPool } from '../cli/exploreWorkerPool.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { exploreOnWorkers } from '../explore/workers/exploreOnWorkers.js';

export interface ExploreWorkersRow {
  distinct: number;
  /** Wall-clock seconds in process and with 2 workers. */
  one: number;
  two: number;
  /** The two results are equal (they must be). */
  same: boolean;
}

export async function exploreWorkersRow(
  driver: string,
  scopeName: string,
  depth: number,
): Promise<ExploreWorkersRow> {
  const d = BUILTIN_DRIVERS.find((x) => x.name === driver);
  const scope = scopeByName(scopeName);
  if (!d || !scope) throw new Error(`exploreWorkersRow: no driver ${driver} or scope ${scopeName}`);
  const opts = { depth, maxStates: 5_000_000, symmetry: true };
  let t0 = performance.now();
  const a = explore(d, scope, opts);
  const one = (performance.now() - t0) / 1000;
  const pool = exploreWorkerPool(2, driver, scope, true);
  t0 = performance.now();
  try {
    const b = await exploreOnWorkers(d, scope, opts, pool);
    const two = (performance.now() - t0) / 1000;
    return { distinct: a.distinct, one, two, same: JSON.stringify(a) === JSON.stringify(b) };
  } finally {
    await pool.close();
  }
}
