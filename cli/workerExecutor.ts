// Chunks on N worker threads running the compiled build (dist/), one chunk per worker at a time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../archive/packageRoot.js';
import type { CheckReport } from '../check/checkDriver.js';
import type { ChunkExecutor } from '../check/runChunks.js';
import { ToolError } from '../check/stepFailure.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { stepWatchdog, type StepWatchdog } from './stepWatchdog.js';
import { UsageError } from './usageError.js';

/** What the workers need beyond the driver and suite: modules given by path, and the step watchdog. */
export interface WorkerExtras {
  /** A watchdog over driver steps (a driver loaded by path): the timeout and the driver's step names. */
  watch?: { timeoutMs: number; names: readonly string[] };
  /** --invariant modules (absolute paths). */
  invariants?: readonly string[];
  /** --xnack: the XNACK mode the profile's configurations take (its name does not carry it). */
  xnack?: 'on' | 'off';
  /** --kernel-patch module (absolute path). */
  kernelPatch?: string | null;
}

interface Reply {
  id: number;
  report?: CheckReport;
  toolError?: { message: string; cause: { name: string; message: string; stack: string }; program: unknown };
  error?: string;
}

function toolError(t: NonNullable<Reply['toolError']>): ToolError {
  const cause = new Error(t.cause.message);
  cause.name = t.cause.name;
  cause.stack = t.cause.stack;
  return new ToolError(t.message, cause, t.program);
}

/**
 * `driver` is a built-in name or an absolute module path; the workers load it themselves.
 * `kernel`: the --kernel release the profile's configurations follow (its name does not carry it).
 * `extras`: modules given by path besides the driver, and the step watchdog.
 */
export function workerExecutor(
  n: number,
  driver: string,
  profile: string,
  kernel?: KernelVersion,
  extras: WorkerExtras = {},
): ChunkExecutor {
  const script = join(packageRoot(), 'dist', 'cli', 'chunkWorker.js');
  if (!existsSync(script))
    throw new UsageError(
      `svmcheck run: --workers needs the compiled build (${script} is missing: run npm run build)`,
    );
  // A hung driver step is the driver's: its worker is terminated and the chunk fails with DriverHang.
  const dogs = new Map<Worker, StepWatchdog>();
  const workers = Array.from({ length: n }, () => {
    const watch = extras.watch;
    const dog = watch ? stepWatchdog(watch.timeoutMs, watch.names, (e) => hang(w, e)) : null;
    const w = new Worker(script, {
      workerData: {
        driver,
        profile,
        ...(kernel ? { kernel } : {}),
        ...(extras.xnack ? { xnack: extras.xnack } : {}),
        ...(dog ? { beat: dog.beat } : {}),
        invariants: extras.invariants ?? [],
        kernelPatch: extras.kernelPatch ?? null,
      },
    });
    if (dog) dogs.set(w, dog);
    return w;
  });
  function hang(w: Worker, e: Error): void {
    dead.set(w, e);
    for (const [id, p] of pending)
      if (p.w === w) {
        pending.delete(id);
        p.reject(e);
      }
    void w.terminate();
  }
  const idle = [...workers];
  const pending = new Map<
    number,
    { resolve: (r: CheckReport) => void; reject: (e: Error) => void; w: Worker }
  >();
  const dead = new Map<Worker, Error>();
  let closing = false;
  let nextId = 0;
  for (const w of workers) {
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      idle.push(p.w);
      if (m.report) p.resolve(m.report);
      else if (m.toolError) p.reject(toolError(m.toolError));
      else p.reject(new Error(`worker thread failed: ${m.error ?? 'no report'}`));
    });
    const fail = (e: Error): void => {
      dead.set(w, e);
      for (const [id, p] of pending)
        if (p.w === w) {
          pending.delete(id);
          p.reject(e);
        }
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closing) fail(dead.get(w) ?? new Error(`worker thread exited with code ${code}`));
    });
  }
  return {
    capacity: n,
    run(job, limits) {
      const w = idle.pop();
      if (!w) return Promise.reject(new Error('workerExecutor: more chunks than workers'));
      const gone = dead.get(w);
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      return new Promise<CheckReport>((resolve, reject) => {
        pending.set(id, { resolve, reject, w });
        w.postMessage({ id, job, limits });
      });
    },
    async close() {
      closing = true;
      for (const d of dogs.values()) d.stop();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
