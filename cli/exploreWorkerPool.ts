// The worker threads of `svmcheck explore --workers N`, running the compiled build
// (dist/cli/exploreWorker.js): each loads the driver and holds an Expander of the scope; the
// search itself stays on the main thread (explore/workers/exploreOnWorkers.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../archive/packageRoot.js';
import { ToolError } from '../check/stepFailure.js';
import type { CodecTables } from '../explore/Expander.js';
import type { Scope } from '../explore/scope.js';
import type { ExplorePool, SliceJob, SliceRecords } from '../explore/workers/exploreOnWorkers.js';
import { stepWatchdog, type StepWatchdog } from './stepWatchdog.js';
import { UsageError } from './usageError.js';

interface Reply extends Partial<SliceRecords> {
  id: number;
  error?: { message: string; tool: boolean; cause: { name: string; message: string; stack: string } };
}

export interface ExploreWorkerPool extends ExplorePool {
  close(): Promise<void>;
}

/**
 * `driver`: a built-in name or an absolute module path; the workers load it themselves.
 * `watch`: a watchdog over the driver's steps (a driver loaded by path), as run's workers have: a
 * step that has not returned after the timeout terminates its worker and fails the exploration.
 */
export function exploreWorkerPool(
  n: number,
  driver: string,
  scope: Scope,
  expand: { symmetry: boolean; reduce?: boolean; canonicalIds?: boolean },
  watch?: { timeoutMs: number; names: readonly string[] },
): ExploreWorkerPool {
  const script = join(packageRoot(), 'dist', 'cli', 'exploreWorker.js');
  if (!existsSync(script))
    throw new UsageError(
      `svmcheck explore: --workers needs the compiled build (${script} is missing: run npm run build)`,
    );
  const pending = new Map<number, { resolve: (r: SliceRecords) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  // A worker that died (its driver module failed to load, say) fails every slice, now and later.
  let dead: Error | null = null;
  let closing = false;
  const fail = (e: Error): void => {
    dead ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const dogs: StepWatchdog[] = [];
  const workers = Array.from({ length: n }, () => {
    const dog = watch
      ? stepWatchdog(watch.timeoutMs, watch.names, (e) => {
          fail(e);
          void w.terminate();
        })
      : null;
    if (dog) dogs.push(dog);
    const w = new Worker(script, {
      // A worker's default young generation is small for the explorer's short-lived decoded states:
      // 64 MiB cut a 2-worker exploration's wall time by 12-15 % here (issue 23, README 'The
      // explorer'); the states themselves live in shared chunks, outside any heap.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
      workerData: {
        driver,
        scope,
        symmetry: expand.symmetry,
        reduce: expand.reduce === true,
        canonicalIds: expand.canonicalIds !== false,
        ...(dog ? { beat: dog.beat } : {}),
      },
    });
    w.on('message', (r: Reply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.error) {
        const cause = new Error(r.error.cause.message);
        cause.name = r.error.cause.name;
        cause.stack = r.error.cause.stack;
        p.reject(r.error.tool ? new ToolError(r.error.message, cause) : cause);
      } else
        p.resolve({
          records: r.records as Int32Array,
          problems: r.problems ?? [],
          tables: r.tables ?? { strs: [], shapes: [] },
        });
    });
    // Not a finding about the kernel: svmcheck's or the driver's JavaScript failed (exit 70).
    w.on('error', (e) => fail(new ToolError(`explore worker thread: ${e.message}`, e)));
    w.on('exit', (code) => {
      if (!closing) fail(new ToolError(`explore worker thread exited (code ${code})`, null));
    });
    return w;
  });
  return {
    size: n,
    learn(hashes: Int32Array, tables: CodecTables): void {
      for (const w of workers) w.postMessage({ learn: hashes, tables });
    },
    expand(i: number, job: SliceJob, reuse: ArrayBuffer | undefined): Promise<SliceRecords> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (dead) {
          reject(dead);
          return;
        }
        pending.set(id, { resolve, reject });
        // The slice's index arrays are the job's own and the records buffer is the worker's: moved
        // to the worker, not copied (the slice's chunks are shared memory).
        (workers[i] as Worker).postMessage({ id, job, reuse }, [
          job.chunkOf.buffer,
          job.starts.buffer,
          job.ids.buffer,
          ...(reuse ? [reuse] : []),
        ]);
      });
    },
    async close(): Promise<void> {
      closing = true;
      for (const d of dogs) d.stop();
      pending.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
