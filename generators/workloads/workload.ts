// A workload `svmcheck compare` runs: a seeded plan generator (generators/workloads/*Plan.ts).
import type { Rng } from './rng.js';
import type { WorkloadPlan } from './workloadPlan.js';

export interface Workload {
  readonly name: string;
  readonly summary: string;
  /** The seed thread whose argument it measures (/work/shared/seeds). */
  readonly seed: string;
  readonly plan: (r: Rng) => WorkloadPlan;
}
