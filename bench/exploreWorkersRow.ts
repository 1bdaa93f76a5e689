// explore --workers: one exploration in process and on 2 worker threads (wall-clock seconds, the
// output identical), for the speed-up the workers give. Each worker starts cold: loading the build
// and compiling the model's code is part of what a user waits for, so it is counted. The exploration
// is the first depth of the scope whose in-process run takes at least `minSeconds`: the bar
// (x1.7 on 2 workers) is for explorations longer than 30 s, and how deep that is depends on the machine.
import { exploreWorkerPool } from '../cli/exploreWorkerPool.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore, type ExploreResult } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { exploreOnWorkers } from '../explore/workers/exploreOnWorkers.js';

export interface ExploreWorkersRow {
  depth: number;
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
  minSeconds: number,
): Promise<ExploreWorkersRow> {
  const d = BUILTIN_DRIVERS.find((x) => x.name === driver);
  const scope = scopeByName(scopeName);
  if (!d || !scope) throw new Error(`exploreWorkersRow: no driver ${driver} or scope ${scopeName}`);
  let depth = scope.depth - 1;
  let a: ExploreResult;
  let one: number;
  do {
    depth++;
    const t0 = performance.now();
    a = explore(d, scope, { depth, maxStates: 5_000_000, symmetry: true });
    one = (performance.now() - t0) / 1000;
    // A search that ran dry or stopped at a violation or the cap goes no deeper.
  } while (one < minSeconds && a.depthCompleted === depth && !a.violation && !a.capped);
  const pool = exploreWorkerPool(2, driver, scope, { symmetry: true });
  const t0 = performance.now();
  try {
    const b = await exploreOnWorkers(d, scope, { depth, maxStates: 5_000_000, symmetry: true }, pool);
    const two = (performance.now() - t0) / 1000;
    return { depth, distinct: a.distinct, one, two, same: JSON.stringify(a) === JSON.stringify(b) };
  } finally {
    await pool.close();
  }
}
