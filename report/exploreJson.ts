// JSON rendering of an exploration: coverage figures and, on a violation, the same violation
// object as run's. Deterministic (no timings).
import type { Counterexample } from '../check/checkDriver.js';
import type { ExploreResult } from '../explore/explore.js';
import { violationJson } from './violationJson.js';

export function exploreJson(
  r: ExploreResult,
  cx: Counterexample | null,
  replay: string,
): Record<string, unknown> {
  const complete = r.depthCompleted >= r.depth;
  // ok only for a pass: an exploration cut short by --max-states proved nothing past its depth.
  return {
    ok: cx === null && complete,
    driver: r.driver,
    scope: r.scope,
    depth: r.depth,
    depthCompleted: r.depthCompleted,
    complete,
    symmetry: r.symmetry,
    ...(r.reduce ? { reduce: true, ampleStates: r.ampleStates } : {}),
    distinct: r.distinct,
    generated: r.generated,
    levels: r.levels,
    ...(cx ? { violation: violationJson(cx, replay) } : {}),
  };
}
