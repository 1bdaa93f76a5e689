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

// Parallel chunks (svmcheck run --workers N): the same chunk jobs on 1 and 2 worker threads.
const parallel = async (): Promise<void> => {
  const { chunkJobs } = await import('../check/chunkPlan.js');
  const { runChunks } = await import('../check/runChunks.js');
  const { workerExecutor } = await import('../cli/workerExecutor.js');
  const jobs = chunkJobs(3, 10_000);
  const rates: number[] = [];
  for (const n of [1, 2]) {
    const exec = workerExecutor(n, 'reference', 'default');
    const t0 = performance.now();
    const r = await runChunks({ driver: 'reference', profile: 'default', seed: 3 }, jobs, exec);
    rates.push(r.runs / ((performance.now() - t0) / 1000));
    await exec.close();
  }
  console.log(
    `\nrun --workers (reference, default suite, 10,000 runs): 1 worker ${Math.round(rates[0] ?? 0)} runs/s, 2 workers ${Math.round(rates[1] ?? 0)} runs/s (x${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)})`,
  );
};
await parallel();

// Ablation: suite generators versus straightforward fast-check usage, per catalog entry.
const { ablation } = await import('./ablation.js');
console.log(
  '\ntime to detect each catalog entry (one seed, 10 s budget each): suite generators vs naive fast-check',
);
for (const line of ablation(BUILTIN_DRIVERS, (d) => profileByName(d.suite ?? 'default') ?? profile, 10_000))
  console.log(line);
