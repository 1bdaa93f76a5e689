// One row of the bench's reduction table: a driver explored at one scope and depth with activity ids
// as spawned (explore --spawn-order-ids), with canonical ids (the default, explore/ActivityIds.ts),
// and with canonical ids and partial-order reduction (explore --reduce): states, transitions and
// CPU time of each.
import type { Driver } from '../model/driver.js';
import { explore, type ExploreResult } from '../explore/explore.js';
import type { Scope } from '../explore/scope.js';

export interface ReductionRow {
  spawnOrder: ExploreResult;
  full: ExploreResult;
  reduced: ExploreResult;
  /** CPU seconds of each. */
  spawnOrderSecs: number;
  fullSecs: number;
  reducedSecs: number;
}

const cpuSecs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1e6;

export function reductionRow(d: Driver, scope: Scope, depth: number): ReductionRow {
  const opts = { depth, maxStates: 5_000_000, symmetry: true };
  let c = process.cpuUsage();
  const spawnOrder = explore(d, scope, { ...opts, canonicalIds: false });
  const spawnOrderSecs = cpuSecs(process.cpuUsage(c));
  c = process.cpuUsage();
  const full = explore(d, scope, opts);
  const fullSecs = cpuSecs(process.cpuUsage(c));
  c = process.cpuUsage();
  const reduced = explore(d, scope, { ...opts, reduce: true });
  return { spawnOrder, full, reduced, spawnOrderSecs, fullSecs, reducedSecs: cpuSecs(process.cpuUsage(c)) };
}
