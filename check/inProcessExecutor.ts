// Chunks run one at a time on the calling thread (--workers 1): no compiled build needed.
import type { Driver } from '../model/driver.js';
import type { Profile } from '../generators/profiles.js';
import { checkDriver } from './checkDriver.js';
import type { ChunkExecutor } from './runChunks.js';

export function inProcessExecutor(driver: Driver, profile: Profile): ChunkExecutor {
  return {
    capacity: 1,
    async run(job, limits) {
      // Yield to the event loop between chunks so progress output and timers get their turn.
      await new Promise<void>((r) => setImmediate(r));
      return checkDriver(driver, profile, {
        runs: job.runs,
        seed: job.seed,
        ...(job.path !== undefined ? { path: job.path } : {}),
        ...limits,
      });
    },
    async close() {},
  };
}
