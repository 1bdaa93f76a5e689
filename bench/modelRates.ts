// Random-mode throughput of one driver: model steps and runs per second executing pre-generated
// programs (generation excluded), and runs per second of a whole fast-check property run.
import fc from 'fast-check';
import { checkDriver } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import { programArb } from '../generators/programArb.js';
import type { Profile } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';
import { cpuRate } from './cpuRate.js';

export interface ModelRates {
  stepsPerSec: number;
  runsPerSec: number;
  fastCheckRunsPerSec: number;
}

export function modelRates(d: Driver, profile: Profile): ModelRates {
  const programs = fc.sample(programArb(profile), { numRuns: 3000, seed: 1 });
  // Steady state: V8 takes seconds to optimize the model's few hundred procedures, compiling on a
  // background thread whose CPU time counts here, so rounds start after 4 CPU-seconds of warm-up;
  // then the best of seven rounds.
  const warm = process.cpuUsage();
  while (process.cpuUsage(warm).user < 4e6) for (const p of programs) execute(d, p);
  let steps = 0;
  const stepsPerSec = cpuRate(() => {
    steps = 0;
    for (const p of programs) steps += execute(d, p).steps;
    return steps;
  }, 7);
  const runsPerSec = (stepsPerSec * programs.length) / steps;
  const fastCheckRunsPerSec = cpuRate(() => checkDriver(d, profile, { runs: 5000, seed: 2 }).runs, 2);
  return { stepsPerSec, runsPerSec, fastCheckRunsPerSec };
}
