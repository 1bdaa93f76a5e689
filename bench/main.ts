// npm run bench: throughput and shrinking figures, printed (never asserted). Every figure comes
// from this one run; rates are per CPU-second of this process, best of a few rounds. package.json
// runs it with --single-threaded-gc: the garbage collector works on the measured thread instead of
// helper threads on the other core, so "one core" is what is measured.
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { smallestScope } from '../explore/scopes.js';
import { profileByName } from '../generators/profiles.js';
import { explorerRates } from './explorerRates.js';
import { modelRates } from './modelRates.js';
import { shrinkRow } from './shrinkRow.js';

const profile = profileByName('default');
if (!profile) throw new Error('bench: no default profile');
const num = (n: number): string => Math.round(n).toLocaleString('en-US');
const opt = (n: number | null): string => (n === null ? '-' : String(n));
const correct = BUILTIN_DRIVERS.filter((d) => !d.broken);

const oneCore = process.execArgv.includes('--single-threaded-gc')
  ? 'one core (--single-threaded-gc)'
  : 'GC threads on';
console.log(`svmcheck bench (one process, ${oneCore}; rates per CPU-second, best of a few rounds)\n`);
console.log(`random mode: suite '${profile.name}', 3,000 pre-generated programs; fast-check: 5,000 runs`);
console.log(
  `  ${'driver'.padEnd(22)} ${'model steps/s'.padStart(14)} ${'runs/s (execute)'.padStart(17)} ${'runs/s (fast-check)'.padStart(20)}`,
);
for (const d of correct) {
  const r = modelRates(d, profile);
  console.log(
    `  ${d.name.padEnd(22)} ${num(r.stepsPerSec).padStart(14)} ${num(r.runsPerSec).padStart(17)} ${num(r.fastCheckRunsPerSec).padStart(20)}`,
  );
}

console.log(
  `\nexplorer: each correct driver's smallest scope to depth 6, symmetry reduction on; best of 2 after a depth-5 warm-up`,
);
console.log(
  `  ${'driver'.padEnd(22)} ${'scope'.padEnd(11)} ${'complete'.padEnd(8)} ${'distinct'.padStart(10)} ${'transitions'.padStart(12)} ${'distinct/s'.padStart(11)} ${'transitions/s'.padStart(14)}`,
);
for (const d of correct.filter((x) => x.name !== 'dmirror')) {
  const scope = smallestScope(d);
  const e = explorerRates(d, scope, 6);
  const done = e.result.violation ? 'VIOLATED' : e.result.depthCompleted === 6 ? 'yes' : 'no';
  console.log(
    `  ${d.name.padEnd(22)} ${scope.name.padEnd(11)} ${done.padEnd(8)} ${num(e.result.distinct).padStart(10)} ${num(e.result.generated).padStart(12)} ${num(e.distinctPerSec).padStart(11)} ${num(e.transitionsPerSec).padStart(14)}`,
  );
}

// The explorer's tables of issue 23 (bench/explorerTables.ts; also npm run bench:explorer).
const { explorerTables } = await import('./explorerTables.js');
await explorerTables();

console.log(
  `\nshrinking: each broken driver's property-based counterexample (its own suite, seed 1) against the explorer's shortest`,
);
console.log(
  `  ${'driver'.padEnd(24)} ${'scope'.padEnd(15)} ${'BFS ops'.padStart(7)} ${'steps'.padStart(5)}  ${'fast-check ops'.padStart(14)} ${'minimized ops'.padStart(13)} ${'steps'.padStart(5)}  ${'excess ops'.padStart(10)}`,
);
for (const d of BUILTIN_DRIVERS.filter((x) => x.broken)) {
  const r = shrinkRow(d, profileByName(d.suite ?? 'default') ?? profile, 1);
  const excess = r.bfsOps !== null && r.minimizedOps !== null ? r.minimizedOps - r.bfsOps : null;
  const flag = excess !== null && excess > 2 ? '  (worse than shortest + 2)' : '';
  console.log(
    `  ${r.driver.padEnd(24)} ${(r.scope ?? 'none').padEnd(15)} ${opt(r.bfsOps).padStart(7)} ${opt(r.bfsSteps).padStart(5)}  ${opt(r.fastCheckOps).padStart(14)} ${opt(r.minimizedOps).padStart(13)} ${opt(r.minimizedSteps).padStart(5)}  ${opt(excess).padStart(10)}${flag}`,
  );
}

// Parallel chunks (svmcheck run --workers N): the same chunk jobs on 1 and 2 worker threads, in
// steady state. For its first seconds a worker keeps V8's background compiler busy (about 0.4 of a
// core while hundreds of model procedures get optimized): one worker has the second core for that,
// two share it, so a short run measures JIT warm-up, not the workers. Each pool first runs 40,000
// runs per worker (about 5 s), then the best of two timed rounds of 60,000 runs counts, as for the
// other rates: a noisy neighbour on a shared host shows as a slow round.
const parallel = async (): Promise<void> => {
  const { chunkJobs, CHUNK_RUNS } = await import('../check/chunkPlan.js');
  const { runChunks } = await import('../check/runChunks.js');
  const { workerExecutor } = await import('../cli/workerExecutor.js');
  const jobs = chunkJobs(3, 60_000);
  const rates: number[] = [];
  for (const n of [1, 2]) {
    const exec = workerExecutor(n, 'reference', 'default');
    const base = { driver: 'reference', profile: 'default', seed: 99 };
    await runChunks(base, chunkJobs(99, 200 * CHUNK_RUNS * n), exec);
    let best = 0;
    for (let round = 0; round < 2; round++) {
      const t0 = performance.now();
      const r = await runChunks({ ...base, seed: 3 }, jobs, exec);
      best = Math.max(best, r.runs / ((performance.now() - t0) / 1000));
    }
    rates.push(best);
    await exec.close();
  }
  console.log(
    `\nrun --workers (reference, default suite, best of two rounds of 60,000 runs after 40,000 warm-up runs per worker): 1 worker ${Math.round(rates[0] ?? 0)} runs/s, 2 workers ${Math.round(rates[1] ?? 0)} runs/s (x${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)})`,
  );
};
await parallel();
const { computeCeiling } = await import('./computeCeiling.js');
console.log(
  `  the same machine's ceiling: an arithmetic loop on 2 threads runs x${(await computeCeiling()).toFixed(2)} as fast as on 1 (no memory traffic)`,
);

// Ablation: suite generators versus straightforward fast-check usage, per catalog entry.
const { ablation } = await import('./ablation.js');
console.log(
  '\ntime to detect each catalog entry (one seed, 10 s budget each): suite generators vs naive fast-check',
);
for (const line of ablation(BUILTIN_DRIVERS, (d) => profileByName(d.suite ?? 'default') ?? profile, 10_000))
  console.log(line);
