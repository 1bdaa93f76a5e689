// One row of the shrinking table: a deliberately broken driver's property-based counterexample
// (fast-check's shrink, then minimize()) against the explorer's shortest one, in operations and steps.
import { checkDriver } from '../check/checkDriver.js';
import { exploreCounterexample } from '../explore/exploreCounterexample.js';
import { findShortest } from '../explore/findShortest.js';
import type { Profile } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';

export interface ShrinkRow {
  driver: string;
  /** The explorer's scope and its shortest counterexample, or null when no scope reaches the bug. */
  scope: string | null;
  bfsOps: number | null;
  bfsSteps: number | null;
  /** fast-check's shrunk operations, then after minimize(); null when the property run found nothing. */
  fastCheckOps: number | null;
  minimizedOps: number | null;
  minimizedSteps: number | null;
}

export function shrinkRow(d: Driver, profile: Profile, seed: number): ShrinkRow {
  // 200,000 states per scope, the budget test/exploreFound.ts is measured with.
  const found = findShortest(d, 200_000);
  const cx = found?.result.violation
    ? exploreCounterexample(d, found.scope, found.result.violation, found.result.distinct)
    : null;
  const pbt = checkDriver(d, profile, { runs: 1_000_000, seed, timeMs: 20_000 }).failure;
  return {
    driver: d.name,
    scope: found?.scope.name ?? null,
    bfsOps: cx?.program.ops.length ?? null,
    bfsSteps: cx?.trace.length ?? null,
    fastCheckOps: pbt?.fastCheckOps ?? null,
    minimizedOps: pbt?.program.ops.length ?? null,
    minimizedSteps: pbt?.trace.length ?? null,
  };
}
