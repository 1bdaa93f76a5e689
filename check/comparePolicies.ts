// `svmcheck compare`: each policy runs the same workloads — run i's plan comes from seed + i, the
// same for every policy — and every cost is summarised by its median and 90th percentile (nearest
// rank) over the runs. The first run that measures nothing (an invariant broken, a deadlock, a
// livelock, liveness undecided, a path the model does not cover) stops the comparison: the costs of
// a policy that is wrong, or of a run the model cannot judge, are not worth comparing.
import type { CostPolicy } from '../drivers/costPolicies/costPolicy.js';
import { compileWorkload } from '../generators/workloads/compileWorkload.js';
import { rng } from '../generators/workloads/rng.js';
import type { Workload } from '../generators/workloads/workload.js';
import type { CostKey, Costs } from '../model/costs/costs.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { measureCosts, type Measured } from './measureCosts.js';

export interface PolicyCosts {
  readonly policy: string;
  readonly summary: string;
  /** Per run, in run order. */
  readonly runs: readonly Costs[];
  readonly median: Costs;
  readonly p90: Costs;
}

export type Comparison =
  | { readonly k: 'measured'; readonly policies: readonly PolicyCosts[] }
  | {
      readonly k: 'stopped';
      readonly policy: string;
      readonly run: number;
      readonly runSeed: number;
      readonly why: Exclude<Measured, { k: 'costs' }>;
    };

export interface CompareOptions {
  readonly workload: Workload;
  readonly policies: readonly CostPolicy[];
  readonly runs: number;
  readonly seed: number;
  /** The release whose core-mm rules the runs follow. */
  readonly kernel: KernelVersion;
  /** After each run (for progress on stderr). */
  readonly onRun?: (policy: string, run: number) => void;
}

/** The nearest-rank q-quantile of a non-empty list. */
function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function summarise(runs: readonly Costs[], q: number): Costs {
  const at = (k: CostKey): number =>
    quantile(
      runs.map((c) => c[k]),
      q,
    );
  return {
    gpuFaults: at('gpuFaults'),
    cpuFaults: at('cpuFaults'),
    pagesToDev: at('pagesToDev'),
    pagesToSys: at('pagesToSys'),
    pagesDevToDev: at('pagesDevToDev'),
    bytesCopied: at('bytesCopied'),
    untouchedToDev: at('untouchedToDev'),
    pingPong: at('pingPong'),
    invalidations: at('invalidations'),
    lockWaitSteps: at('lockWaitSteps'),
  };
}

/** Run i's workload seed: the comparison's seed stepped by i (32-bit, wrapping). */
export const runSeed = (seed: number, i: number): number => (seed + i) | 0;

export function comparePolicies(o: CompareOptions): Comparison {
  const plans = Array.from({ length: o.runs }, (_, i) => o.workload.plan(rng(runSeed(o.seed, i))));
  const out: PolicyCosts[] = [];
  for (const policy of o.policies) {
    const runs: Costs[] = [];
    for (const [i, plan] of plans.entries()) {
      const { program, phases } = compileWorkload(plan, policy, o.kernel);
      const m = measureCosts(policy.driver, program, phases, runSeed(o.seed, i));
      o.onRun?.(policy.name, i);
      if (m.k !== 'costs')
        return { k: 'stopped', policy: policy.name, run: i, runSeed: runSeed(o.seed, i), why: m };
      runs.push(m.costs);
    }
    out.push({
      policy: policy.name,
      summary: policy.summary,
      runs,
      median: summarise(runs, 0.5),
      p90: summarise(runs, 0.9),
    });
  }
  return { k: 'measured', policies: out };
}
