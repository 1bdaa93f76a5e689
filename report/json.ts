// JSON rendering for tools: one object per check, stable field order.
import type { CheckReport } from '../check/checkDriver.js';
import { violationJson } from './violationJson.js';
import { UNDECIDED } from '../check/execute.js';

export function reportJson(r: CheckReport, replay: string): Record<string, unknown> {
  const cx = r.failure;
  return {
    ok: cx === null,
    driver: r.driver,
    suite: r.profile,
    seed: r.seed,
    runs: r.runs,
    steps: r.steps,
    // What the runs did not decide: liveness left open at the step budget, or a path not modelled.
    undecided: r.stats[UNDECIDED] ?? 0,
    notModelled: r.notModelled ?? 0,
    ...(cx ? { violation: violationJson(cx, replay) } : {}),
  };
}
