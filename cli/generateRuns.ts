// The generating part of a run: chunk jobs for the budget (or the one chunk of a --path), run in
// process or on worker threads, with progress on stderr.
import { chunkJobs, replayJob } from '../check/chunkPlan.js';
import { inProcessExecutor } from '../check/inProcessExecutor.js';
import { runChunks, type ChunkExecutor, type ChunkedReport } from '../check/runChunks.js';
import type { Io } from './io.js';
import { makeProgress } from './progress.js';
import type { RunOptions } from './runOptions.js';
import { stepNames } from './guardDriver.js';
import { workerExecutor } from './workerExecutor.js';

export async function generateRuns(o: RunOptions, io: Io): Promise<ChunkedReport> {
  const { driver, module } = o.loaded;
  const jobs = o.path ? [replayJob(o.seed, o.path.chunk, o.path.path)] : chunkJobs(o.seed, o.runs, o.shard);
  const stopAt = o.time !== undefined ? Date.now() + o.time * 1000 : undefined;
  const progress = makeProgress(io, {
    totalRuns: jobs.reduce((a, j) => a + j.runs, 0),
    ...(o.time !== undefined ? { budget: o.time } : {}),
    interval: o.progress,
    quiet: o.json,
  });
  // A driver loaded by path always runs on worker threads, under the step watchdog: a step of its
  // JavaScript that never returns can only be stopped from another thread.
  // --time bounds it too: one step longer than the whole budget has not returned in the budget.
  const stepSeconds = Math.min(o.stepTimeout, o.time ?? Infinity);
  const watch = module ? { timeoutMs: stepSeconds * 1000, names: stepNames(driver) } : undefined;
  // Modules given by path (suite, invariants, kernel patch) are the user's code too: on workers.
  const x = o.extensions;
  const extras = {
    ...(watch ? { watch } : {}),
    invariants: x.invariants,
    kernelPatch: x.kernelPatch,
    ...(o.profile.xnack ? { xnack: o.profile.xnack } : {}),
  };
  const exec: ChunkExecutor =
    o.workers > 1 || module || x.suite || x.invariants.length || x.kernelPatch
      ? workerExecutor(o.workers, module ?? driver.name, x.suite ?? o.profile.name, o.profile.kernel, extras)
      : inProcessExecutor(driver, o.profile);
  try {
    return await runChunks({ driver: driver.name, profile: o.profile.name, seed: o.seed }, jobs, exec, {
      ...(stopAt !== undefined ? { stopAt, shrinkUntil: stopAt + o.shrinkTime * 1000 } : {}),
      onChunk: (x) => progress.update(x),
    });
  } finally {
    progress.done();
    await exec.close();
  }
}
