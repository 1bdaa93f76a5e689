// npm run bench: throughput figures, printed (never asserted). Ratios are measured in one run.
import fc from 'fast-check';
import { checkDriver } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { programArb } from '../generators/programArb.js';
import { profileByName } from '../generators/profiles.js';

const profile = profileByName('default');
if (!profile) throw new Error('no default profile');
const programs = fc.sample(programArb(profile), { numRuns: 3000, seed: 1 });

console.log('svmcheck bench (one process, one core)\n');
console.log(
  `${'driver'.padEnd(22)} ${'model steps/s'.padStart(14)} ${'runs/s (execute)'.padStart(17)} ${'runs/s (fast-check)'.padStart(20)}`,
);
for (const d of BUILTIN_DRIVERS.filter((x) => !x.broken)) {
  // Warm up the JIT, then time execution of pre-generated programs.
  for (const p of programs.slice(0, 300)) execute(d, p);
  let steps = 0;
  const t0 = performance.now();
  for (const p of programs) steps += execute(d, p).steps;
  const secs = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const r = checkDriver(d, profile, { runs: 5000, seed: 2 });
  const fcSecs = (performance.now() - t1) / 1000;
  console.log(
    `${d.name.padEnd(22)} ${Math.round(steps / secs)
      .toLocaleString('en-US')
      .padStart(14)} ${Math.round(programs.length / secs)
      .toLocaleString('en-US')
      .padStart(17)} ${Math.round(r.runs / fcSecs)
      .toLocaleString('en-US')
      .padStart(20)}`,
  );
}
