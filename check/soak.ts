// A soak: every correct driver on every suite it runs, with several seeds, for a wall-clock budget.
// Each (driver, suite, seed) slot is exactly `svmcheck run --driver D --suite S --seed N --time T`
// (the same chunks and chunk seeds), so any failure it reports replays with that command. What a
// pass means is printed with it: how many runs, over which seeds, for how long, and how many runs
// ended with liveness undecided or on a path the model does not cover.
import type { Driver } from '../model/driver.js';
import { profileByName, type Profile } from '../generators/profiles.js';
import { chunkJobs } from './chunkPlan.js';
import { UNDECIDED } from './execute.js';
import type { Counterexample } from './checkDriver.js';
import { runChunks, type ChunkExecutor } from './runChunks.js';

/** The suites a correct driver is soaked on when it names none of its own. */
export const SOAK_SUITES = ['default', 'fork', 'migration', 'mirror', 'multi-gpu', 'ranges', 'cpus'] as const;

export interface SoakSlot {
  driver: string;
  suite: string;
  seed: number;
  runs: number;
  steps: number;
  seconds: number;
  undecided: number;
  notModelled: number;
  failure: Counterexample | null;
}

export interface SoakReport {
  slots: SoakSlot[];
  runs: number;
  seconds: number;
  failures: number;
}

export interface SoakOptions {
  /** Wall-clock seconds for the whole soak, split evenly over the slots. */
  seconds: number;
  /** Seeds are derived from this one: seed k of every slot is seedOf(seed, k). */
  seed: number;
  seeds: number;
  /** Runs chunks of one (driver, suite) slot. */
  executor(driver: Driver, profile: Profile): ChunkExecutor | Promise<ChunkExecutor>;
  onSlot?(slot: SoakSlot): void;
}

/** The k-th seed of a soak: a 32-bit mix of the soak's seed and k (k = 0 mixes too). */
export function seedOf(seed: number, k: number): number {
  let h = (seed + Math.imul(k, 0x7feb352d)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

/** The (driver, suite) pairs a soak covers, in a fixed order. */
export function soakPairs(drivers: readonly Driver[]): Array<{ driver: Driver; profile: Profile }> {
  const out: Array<{ driver: Driver; profile: Profile }> = [];
  for (const driver of drivers.filter((d) => !d.broken)) {
    const names = driver.suite ? [driver.suite] : SOAK_SUITES;
    for (const n of names) {
      const profile = profileByName(n);
      if (!profile) throw new Error(`soak: driver '${driver.name}' names unknown suite '${n}'`);
      out.push({ driver, profile });
    }
  }
  return out;
}

export async function soak(drivers: readonly Driver[], opts: SoakOptions): Promise<SoakReport> {
  const pairs = soakPairs(drivers);
  const slotMs = (opts.seconds * 1000) / Math.max(1, pairs.length * opts.seeds);
  const slots: SoakSlot[] = [];
  const t0 = Date.now();
  for (const { driver, profile } of pairs)
    for (let k = 0; k < opts.seeds; k++) {
      const seed = seedOf(opts.seed, k);
      const started = Date.now();
      const exec = await opts.executor(driver, profile);
      try {
        const r = await runChunks(
          { driver: driver.name, profile: profile.name, seed },
          chunkJobs(seed, 100_000_000),
          exec,
          { stopAt: started + slotMs, shrinkUntil: started + slotMs + 30_000 },
        );
        const slot: SoakSlot = {
          driver: driver.name,
          suite: profile.name,
          seed,
          runs: r.runs,
          steps: r.steps,
          seconds: (Date.now() - started) / 1000,
          undecided: r.stats[UNDECIDED] ?? 0,
          notModelled: r.notModelled ?? 0,
          failure: r.failure,
        };
        slots.push(slot);
        opts.onSlot?.(slot);
      } finally {
        await exec.close();
      }
    }
  return {
    slots,
    runs: slots.reduce((a, s) => a + s.runs, 0),
    seconds: (Date.now() - t0) / 1000,
    failures: slots.filter((s) => s.failure).length,
  };
}
