// Explorer throughput of one driver at one scope and depth: distinct states and transitions per second.
import type { Driver } from '../model/driver.js';
import { explore, type ExploreResult } from '../explore/explore.js';
import type { Scope } from '../explore/scope.js';
import { cpuRate } from './cpuRate.js';

export interface ExplorerRates {
  result: ExploreResult;
  distinctPerSec: number;
  transitionsPerSec: number;
}

export function explorerRates(d: Driver, scope: Scope, depth: number): ExplorerRates {
  let result: ExploreResult | null = null;
  // One level less first, untimed: the first exploration of a process also pays for compiling the
  // explorer and the driver's code, on the compiler's threads, whose CPU time counts too.
  explore(d, scope, { depth: Math.max(1, depth - 1), maxStates: 5_000_000, symmetry: true });
  const distinctPerSec = cpuRate(() => {
    result = explore(d, scope, { depth, maxStates: 5_000_000, symmetry: true });
    return result.distinct;
  }, 2);
  const r = result as ExploreResult | null;
  if (!r) throw new Error('explorerRates: no result');
  return { result: r, distinctPerSec, transitionsPerSec: (distinctPerSec * r.generated) / r.distinct };
}
