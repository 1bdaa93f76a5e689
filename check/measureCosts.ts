// One comparison run: execute a compiled workload under a policy's driver with every invariant on
// and the cost counter watching. A run that breaks an invariant, deadlocks, livelocks, leaves
// liveness undecided or leaves the model's coverage measures nothing: the comparison stops there.
import type { Driver } from '../model/driver.js';
import { CostCounter } from '../model/costs/CostCounter.js';
import type { Costs } from '../model/costs/costs.js';
import type { Program } from '../model/program.js';
import type { Problem } from '../properties/invariant.js';
import { execute } from './execute.js';
import { openFindingFor } from '../model/openFinding.js';
import { rng } from '../generators/workloads/rng.js';

export type Measured =
  | { readonly k: 'costs'; readonly costs: Costs; readonly steps: number }
  | {
      readonly k: 'violation';
      readonly problem: Problem;
      readonly steps: number;
      /** The driver's open finding that explains it (its archived case), when one does. */
      readonly openFinding?: string;
    }
  | { readonly k: 'undecided'; readonly steps: number }
  | { readonly k: 'not-modelled'; readonly why: string };

/** Steps per operation before the lasso watch starts: a finished workload has taken far fewer. */
const LASSO_AFTER_STEPS_PER_OP = 20;

/**
 * Runs `program` under `driver`. `interleave`: where more than one activity can run (CPU threads
 * of one phase, kernel work such as the deferred list worker beside a fault), a generator seeded
 * by it picks one, uniformly: the threads and workers run concurrently, as on a machine, so that
 * lock waits happen; the same seed gives the same interleaving. Absent: the executor's default
 * (one activity at a time, in program order), under which nothing ever waits for a lock.
 */
export function measureCosts(
  driver: Driver,
  program: Program,
  phases: readonly number[],
  interleave?: number,
): Measured {
  const counter = new CostCounter(program.config.vaPages);
  const r0 = interleave === undefined ? null : rng(interleave);
  const r = execute(driver, program, {
    phases,
    ...(r0 ? { pick: (cands: readonly number[]) => r0.int(cands.length) } : {}),
    observe: (s, events, written) => counter.observe(s, events, written),
    // Watching every state for a lasso costs more than the rest of a run of this size; a run that
    // goes on past this many steps is watched from there, so a livelock is still found.
    lassoFrom: LASSO_AFTER_STEPS_PER_OP * program.ops.length,
  });
  if (r.violation) {
    const open = openFindingFor(driver.openFindings, r.violation, r.state, r.stats);
    return { k: 'violation', problem: r.violation, steps: r.steps, ...(open ? { openFinding: open } : {}) };
  }
  if (r.notModelled !== null) return { k: 'not-modelled', why: r.notModelled };
  if (r.undecided) return { k: 'undecided', steps: r.steps };
  return { k: 'costs', costs: counter.finish(r.stats), steps: r.steps };
}
