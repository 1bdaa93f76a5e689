// A worker thread of `svmcheck run --workers N`: loads the driver and suite once, then runs the
// chunk jobs the main thread posts and posts back each chunk's report.
import { parentPort, workerData } from 'node:worker_threads';
import { checkDriver } from '../check/checkDriver.js';
import type { ChunkJob } from '../check/chunkPlan.js';
import type { ChunkLimits } from '../check/runChunks.js';
import { profileByName } from '../generators/profiles.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { loadDriver } from './loadDriver.js';

interface Setup {
  driver: string;
  profile: string;
  /** The profile's kernel release (--kernel), which its name does not carry. */
  kernel?: KernelVersion;
}

const port = parentPort;
if (!port) throw new Error('chunkWorker: not started as a worker thread');
const setup = workerData as Setup;
const { driver } = await loadDriver(setup.driver);
const named = profileByName(setup.profile);
if (!named) throw new Error(`chunkWorker: unknown suite ${setup.profile}`);
const profile = setup.kernel ? { ...named, kernel: setup.kernel } : named;

port.on('message', (m: { id: number; job: ChunkJob; limits: ChunkLimits }) => {
  try {
    const report = checkDriver(driver, profile, {
      runs: m.job.runs,
      seed: m.job.seed,
      ...(m.job.path !== undefined ? { path: m.job.path } : {}),
      ...m.limits,
    });
    port.postMessage({ id: m.id, report });
  } catch (e) {
    port.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) });
  }
});
