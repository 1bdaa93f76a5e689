// JSON rendering for tools: one object per check, stable field order.
import type { CheckReport } from '../check/checkDriver.js';
import { violationJson } from './violationJson.js';

export function reportJson(r: CheckReport, replay: string): Record<string, unknown> {
  const cx = r.failure;
  return {
    ok: cx === null,
    driver: r.driver,
    suite: r.profile,
    seed: r.seed,
    runs: r.runs,
    steps: r.steps,
    ...(cx ? { violation: violationJson(cx, replay) } : {}),
  };
}
