// Runs chunk jobs on an executor (in process, or worker threads) and merges their reports. Jobs
// start in index order; once chunk j fails, nothing after j starts, chunks before j still finish,
// and the report covers exactly chunks 0..j: identical for any number of workers.
import type { CheckReport } from './checkDriver.js';
import type { ChunkJob } from './chunkPlan.js';

/** What bounds every chunk of a run, and what each of them tolerates (CheckOptions). */
export interface ChunkLimits {
  /** Date.now() from which no new run is executed. */
  stopAt?: number;
  /** Date.now() by which shrinking ends. */
  shrinkUntil?: number;
  /** Runs the driver's open findings explain are tallied, not failures (CheckOptions.tolerateOpenFindings). */
  tolerateOpenFindings?: boolean;
  /** Known kernel bugs of the program's release are tallied too (CheckOptions.tolerateKernelFindings). */
  tolerateKernelFindings?: boolean;
}

export interface ChunkExecutor {
  /** How many chunks may run at once. */
  readonly capacity: number;
  run(job: ChunkJob, limits: ChunkLimits): Promise<CheckReport>;
  close(): Promise<void>;
}

export interface ChunkProgress {
  runs: number;
  chunks: number;
  violations: number;
}

export interface ChunkRunOptions extends ChunkLimits {
  onChunk?: (p: ChunkProgress) => void;
}

export interface ChunkedReport extends CheckReport {
  /** Chunks the report covers. */
  chunks: number;
  /** Index of the failing chunk, -1 when none failed. */
  failedChunk: number;
  /**
   * The leading jobs that ran every run they were given (a chunk cut short by stopAt ends the
   * prefix), and their runs: where a later call resumes without running a program twice.
   */
  complete: { jobs: number; runs: number };
}

function merge(base: { driver: string; profile: string; seed: number }, parts: CheckReport[]): CheckReport {
  const stats: Record<string, number> = {};
  const runsWith: Record<string, number> = {};
  const known: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.known ?? {})) known[k] = (known[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p.stats)) stats[k] = (stats[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p.runsWith)) runsWith[k] = (runsWith[k] ?? 0) + v;
  }
  return {
    ...base,
    runs: parts.reduce((a, p) => a + p.runs, 0),
    steps: parts.reduce((a, p) => a + p.steps, 0),
    stats,
    runsWith,
    interrupted: parts.some((p) => p.interrupted),
    notModelled: parts.reduce((a, p) => a + (p.notModelled ?? 0), 0),
    ...(Object.keys(known).length ? { known } : {}),
    failure: null,
  };
}

export async function runChunks(
  base: { driver: string; profile: string; seed: number },
  jobs: readonly ChunkJob[],
  exec: ChunkExecutor,
  opts: ChunkRunOptions = {},
): Promise<ChunkedReport> {
  const done = new Map<number, CheckReport>();
  const running = new Map<number, Promise<void>>();
  // A chunk's error ends the run like a failure at that index: kept, and thrown only if no lower
  // chunk failed (so a dropped chunk's error is never unhandled, and N never changes the outcome).
  const errors = new Map<number, unknown>();
  let lowestErr = Infinity;
  const end = (): number => Math.min(lowestFail, lowestErr);
  let lowestFail = Infinity;
  let next = 0;
  let stoppedEarly = false;
  const progress: ChunkProgress = { runs: 0, chunks: 0, violations: 0 };
  const limits: ChunkLimits = {
    ...(opts.stopAt !== undefined ? { stopAt: opts.stopAt } : {}),
    ...(opts.shrinkUntil !== undefined ? { shrinkUntil: opts.shrinkUntil } : {}),
    ...(opts.tolerateOpenFindings ? { tolerateOpenFindings: true } : {}),
    ...(opts.tolerateKernelFindings ? { tolerateKernelFindings: true } : {}),
  };
  for (;;) {
    while (running.size < exec.capacity && next < jobs.length) {
      const job = jobs[next] as ChunkJob;
      if (job.index > end()) break;
      if (opts.stopAt !== undefined && Date.now() >= opts.stopAt) {
        stoppedEarly = true;
        break;
      }
      next++;
      running.set(
        job.index,
        exec.run(job, limits).then(
          (r) => {
            running.delete(job.index);
            done.set(job.index, r);
            if (r.failure) {
              lowestFail = Math.min(lowestFail, job.index);
              progress.violations++;
            }
            progress.runs += r.runs;
            progress.chunks++;
            opts.onChunk?.({ ...progress });
          },
          (e: unknown) => {
            running.delete(job.index);
            errors.set(job.index, e);
            lowestErr = Math.min(lowestErr, job.index);
          },
        ),
      );
    }
    // Chunks after the lowest failure are not waited for: their results cannot be reported.
    const waitFor = [...running].filter(([i]) => i < end()).map(([, p]) => p);
    if (waitFor.length === 0) break;
    await Promise.race(waitFor);
  }
  if (lowestErr < lowestFail) throw errors.get(lowestErr);
  const covered = [...done.keys()].filter((i) => i <= lowestFail).sort((a, b) => a - b);
  const parts = covered.map((i) => done.get(i) as CheckReport);
  const merged = merge(base, parts);
  if (stoppedEarly) merged.interrupted = true;
  const failing = lowestFail === Infinity ? undefined : done.get(lowestFail);
  if (failing?.failure) {
    merged.failure = { ...failing.failure, path: `${lowestFail}:${failing.failure.path}` };
    if (failing.shrinkMs !== undefined) merged.shrinkMs = failing.shrinkMs;
  }
  const complete = { jobs: 0, runs: 0 };
  for (const job of jobs) {
    const r = done.get(job.index);
    if (!r || r.interrupted || r.runs < job.runs || job.index > lowestFail) break;
    complete.jobs++;
    complete.runs += r.runs;
  }
  return { ...merged, chunks: parts.length, failedChunk: failing ? lowestFail : -1, complete };
}
