// Chunks on N worker threads running the compiled build (dist/), one chunk per worker at a time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../archive/packageRoot.js';
import type { CheckReport } from '../check/checkDriver.js';
import type { ChunkExecutor } from '../check/runChunks.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { UsageError } from './usageError.js';

interface Reply {
  id: number;
  report?: CheckReport;
  error?: string;
}

/**
 * `driver` is a built-in name or an absolute module path; the workers load it themselves.
 * `kernel`: the --kernel release the profile's configurations follow (its name does not carry it).
 */
export function workerExecutor(
  n: number,
  driver: string,
  profile: string,
  kernel?: KernelVersion,
): ChunkExecutor {
  const script = join(packageRoot(), 'dist', 'cli', 'chunkWorker.js');
  if (!existsSync(script))
    throw new UsageError(
      `svmcheck run: --workers needs the compiled build (${script} is missing: run npm run build)`,
    );
  const workers = Array.from(
    { length: n },
    () =>
      new Worker(script, {
        workerData: { driver, profile, ...(kernel ? { kernel } : {}) },
      }),
  );
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
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
