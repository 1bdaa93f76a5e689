// A worker thread of `svmcheck run --workers N`: loads the driver and suite once, then runs the
// chunk jobs the main thread posts and posts back each chunk's report.
import { parentPort, workerData } from 'node:worker_threads';
import { checkDriver } from '../check/checkDriver.js';
import { ToolError } from '../check/stepFailure.js';
import type { ChunkJob } from '../check/chunkPlan.js';
import type { ChunkLimits } from '../check/runChunks.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import type { Heartbeat } from './guardDriver.js';
import { loadDriver } from './loadDriver.js';
import { loadInvariants } from './loadInvariants.js';
import { loadKernelPatch } from './loadKernelPatch.js';
import { loadSuite } from './loadSuite.js';

interface Setup {
  driver: string;
  /** The step watchdog's heartbeat, for a driver loaded by path (cli/stepWatchdog.ts). */
  beat?: Heartbeat;
  profile: string;
  /** --invariant and --kernel-patch modules (absolute paths). */
  invariants?: string[];
  kernelPatch?: string | null;
  /** The profile's kernel release (--kernel), which its name does not carry. */
  kernel?: KernelVersion;
  /** The profile's XNACK mode (--xnack). */
  xnack?: 'on' | 'off';
}

const port = parentPort;
if (!port) throw new Error('chunkWorker: not started as a worker thread');
const setup = workerData as Setup;
const loaded = await loadDriver(setup.driver, setup.beat ?? null);
const patch = setup.kernelPatch ? (await loadKernelPatch(setup.kernelPatch)).patch : null;
const driver = patch ? { ...loaded.driver, kernelPatch: patch } : loaded.driver;
// A built-in suite by name, or the module of --suite PATH.
const named = (await loadSuite('run', setup.profile)).profile;
const mine = await loadInvariants(setup.invariants ?? []);
const invariants = mine.length ? { invariants: [...INVARIANTS, ...mine] } : {};
const profile = {
  ...named,
  ...(setup.kernel ? { kernel: setup.kernel } : {}),
  ...(setup.xnack ? { xnack: setup.xnack } : {}),
};

port.on('message', (m: { id: number; job: ChunkJob; limits: ChunkLimits }) => {
  try {
    const report = checkDriver(driver, profile, {
      runs: m.job.runs,
      seed: m.job.seed,
      ...(m.job.path !== undefined ? { path: m.job.path } : {}),
      ...m.limits,
      ...invariants,
    });
    port.postMessage({ id: m.id, report });
  } catch (e) {
    // A ToolError (svmcheck's or the driver's JavaScript) crosses to the main thread as data, so
    // it is reported there as it would be in process.
    if (e instanceof ToolError) {
      const c = e.cause instanceof Error ? e.cause : new Error(String(e.cause));
      const cause = { name: c.name, message: c.message, stack: c.stack ?? '' };
      port.postMessage({ id: m.id, toolError: { message: e.message, cause, program: e.program } });
    } else port.postMessage({ id: m.id, error: (e as Error).stack ?? String(e) });
  }
});
