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
  // Warm up the JIT on every program once, then take the best of five rounds.
  for (const p of programs) execute(d, p);
  let steps = 0;
  const stepsPerSec = cpuRate(() => {
    steps = 0;
    for (const p of programs) steps += execute(d, p).steps;
    return steps;
  }, 5);
  const runsPerSec = (stepsPerSec * programs.length) / steps;
  const fastCheckRunsPerSec = cpuRate(() => checkDriver(d, profile, { runs: 5000, seed: 2 }).runs, 2);
  return { stepsPerSec, runsPerSec, fastCheckRunsPerSec };
}
