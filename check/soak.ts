// A soak: every correct driver on every suite it runs, with several seeds, for a wall-clock budget
// or a number of runs per driver and suite. Each (driver, suite, XNACK mode, seed) slot is exactly
// `svmcheck run --driver D --suite S [--xnack X] --seed N --time T` (the same chunks and chunk
// seeds), so any failure it reports replays with that command. What a pass means is printed with
// it: how many runs, over which seeds, for how long, and how many runs ended with liveness
// undecided or on a path the model does not cover.
import type { Driver } from '../model/driver.js';
import { PROFILES, profileByName, type Profile } from '../generators/profiles.js';
import { chunkJobs } from './chunkPlan.js';
import { UNDECIDED } from './execute.js';
import type { Counterexample } from './checkDriver.js';
import { runChunks, type ChunkExecutor, type ChunkLimits } from './runChunks.js';
import { execute } from './execute.js';
import { kernelFindingFor } from '../model/kernelFindings.js';
import { kernelOf } from '../model/kernelVersion.js';
import { openFindingFor } from '../model/openFinding.js';

/** The suites a correct driver is soaked on when it names none of its own. */
export const SOAK_SUITES = [
  'default',
  'fork',
  'migration',
  'mirror',
  'multi-gpu',
  'ranges',
  'cpus',
  'thp',
] as const;

/** Runs of one slot when the soak is bounded by time only (runChunks stops at the deadline). */
const UNBOUNDED_RUNS = 100_000_000;

export interface SoakSlot {
  driver: string;
  suite: string;
  /** The XNACK mode, for a driver that follows it (soaked in both). */
  xnack?: 'on' | 'off';
  seed: number;
  runs: number;
  /** The runs the slot was asked for (--runs split over the seeds), or null when only time bounds it. */
  target: number | null;
  steps: number;
  seconds: number;
  undecided: number;
  notModelled: number;
  failure: Counterexample | null;
  /**
   * One of the driver's open findings explains the failure (Driver.openFindings): shipped upstream
   * behaviour explained by an archived open case, reported as such and not as a failing slot.
   */
  known: boolean;
  /** The known upstream bug of the slot's kernel release that explains the failure (model/kernelFindings.ts). */
  kernelFinding?: string;
  /** The slot was short after the first pass and ran again in the second (onSlot sees it twice). */
  resumed?: boolean;
  /**
   * Runs one of the driver's open findings explains (per archived case) or a known bug of the
   * release explains (per model/kernelFindings.ts id): tallied, and the slot goes on
   * (CheckOptions.tolerateOpenFindings), so an open upstream bug does not cut a soak short.
   */
  knownRuns: Record<string, number>;
}

export interface SoakReport {
  slots: SoakSlot[];
  runs: number;
  seconds: number;
  /** Slots whose failure is not one of the driver's open findings. */
  failures: number;
}

export interface SoakOptions {
  /** Wall-clock seconds for the whole soak: each slot gets the time left over the slots left. */
  seconds: number;
  /** Runs per driver and suite (and XNACK mode), split evenly over the seeds; absent: time only. */
  runs?: number;
  /** Seeds are derived from this one: seed k of every slot is seedOf(seed, k). */
  seed: number;
  seeds: number;
  /** Runs chunks of one (driver, suite) slot; the profile carries the XNACK mode. */
  executor(driver: Driver, profile: Profile): ChunkExecutor | Promise<ChunkExecutor>;
  onSlot?(slot: SoakSlot): void;
}

/** The k-th seed of a soak: a 32-bit mix of the soak's seed and k (k = 0 mixes too). */
export function seedOf(seed: number, k: number): number {
  let h = (seed + Math.imul(k, 0x7feb352d)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * The (driver, suite) pairs a soak covers, in a fixed order; a driver that follows Config.xnack
 * (kfd) is soaked with XNACK on and with XNACK off, each a pair of its own, and on the suites made
 * for one XNACK mode (xnack-off), which the other drivers cannot run.
 */
export function soakPairs(drivers: readonly Driver[]): Array<{ driver: Driver; profile: Profile }> {
  const out: Array<{ driver: Driver; profile: Profile }> = [];
  for (const driver of drivers.filter((d) => !d.broken)) {
    const names = driver.suite ? [driver.suite] : SOAK_SUITES;
    for (const n of names) {
      const profile = profileByName(n);
      if (!profile) throw new Error(`soak: driver '${driver.name}' names unknown suite '${n}'`);
      if (driver.xnack)
        for (const xnack of ['on', 'off'] as const) out.push({ driver, profile: { ...profile, xnack } });
      else out.push({ driver, profile });
    }
    if (driver.xnack && !driver.suite)
      for (const profile of PROFILES) if (profile.xnack) out.push({ driver, profile });
  }
  return out;
}

/**
 * Whether a slot's failure is known: one of the driver's open findings explains it
 * (Driver.openFindings), or else the known upstream bug of the failure's kernel release
 * (model/kernelFindings.ts). The counterexample is replayed and its problem, the state it fails in
 * and the run's counters are asked. The chunks tolerate both, so this is a backstop.
 */
function knownFailure(
  driver: Driver,
  failure: Counterexample | null,
): Pick<SoakSlot, 'known' | 'kernelFinding'> {
  if (!failure) return { known: false };
  const r = execute(driver, failure.program);
  const p = r.violation ?? failure.violation;
  if (openFindingFor(driver.openFindings, p, r.state, r.stats) !== undefined) return { known: true };
  const kf = kernelFindingFor(kernelOf(failure.program.config), p.invariant, r.state)?.id;
  return kf ? { known: true, kernelFinding: kf } : { known: false };
}

/** A slot still short of its runs when the first pass ended, and where it resumes. */
interface Resumable {
  slot: SoakSlot;
  driver: Driver;
  profile: Profile;
  /** Chunk jobs run to their end (the resumed pass starts after them) and their runs. */
  complete: { jobs: number; runs: number };
}

/** What every chunk of a slot tolerates: the driver's open findings and the release's known bugs. */
const tolerance = (driver: Driver): Pick<ChunkLimits, 'tolerateOpenFindings' | 'tolerateKernelFindings'> => ({
  tolerateOpenFindings: (driver.openFindings?.length ?? 0) > 0,
  tolerateKernelFindings: true,
});

function addKnown(to: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) to[k] = (to[k] ?? 0) + v;
}

export async function soak(drivers: readonly Driver[], opts: SoakOptions): Promise<SoakReport> {
  const pairs = soakPairs(drivers);
  const perSlot = opts.runs === undefined ? null : Math.ceil(opts.runs / opts.seeds);
  const slots: SoakSlot[] = [];
  const short: Resumable[] = [];
  const t0 = Date.now();
  const deadline = t0 + opts.seconds * 1000;
  // Time a slot does not use (it reached its runs) goes to the slots after it.
  const shareOf = (left: number): number => {
    const now = Date.now();
    return now + Math.max(0, deadline - now) / Math.max(1, left);
  };
  let left = pairs.length * opts.seeds;
  for (const { driver, profile } of pairs)
    for (let k = 0; k < opts.seeds; k++) {
      const seed = seedOf(opts.seed, k);
      const started = Date.now();
      const exec = await opts.executor(driver, profile);
      try {
        const stopAt = shareOf(left--);
        const r = await runChunks(
          { driver: driver.name, profile: profile.name, seed },
          chunkJobs(seed, perSlot ?? UNBOUNDED_RUNS),
          exec,
          { stopAt, shrinkUntil: stopAt + 30_000, ...tolerance(driver) },
        );
        const failure = r.failure;
        const slot: SoakSlot = {
          driver: driver.name,
          suite: profile.name,
          ...(profile.xnack ? { xnack: profile.xnack } : {}),
          seed,
          runs: r.runs,
          target: perSlot,
          steps: r.steps,
          seconds: (Date.now() - started) / 1000,
          undecided: r.stats[UNDECIDED] ?? 0,
          notModelled: r.notModelled ?? 0,
          failure,
          ...knownFailure(driver, failure),
          knownRuns: { ...r.known },
        };
        slots.push(slot);
        if (perSlot !== null && !failure && r.complete.runs < perSlot)
          short.push({ slot, driver, profile, complete: r.complete });
        opts.onSlot?.(slot);
      } finally {
        await exec.close();
      }
    }
  // A second pass gives the time the first pass left over (slots that reached their runs early
  // after a short slot had taken its share) to the short slots, resuming each after its last whole
  // chunk: the runs stay distinct programs, and a failure replays with the slot's own command.
  for (let i = 0; i < short.length && Date.now() < deadline; i++) {
    const { slot, driver, profile, complete } = short[i] as Resumable;
    const started = Date.now();
    const exec = await opts.executor(driver, profile);
    try {
      const stopAt = shareOf(short.length - i);
      const r = await runChunks(
        { driver: driver.name, profile: profile.name, seed: slot.seed },
        chunkJobs(slot.seed, perSlot ?? UNBOUNDED_RUNS).slice(complete.jobs),
        exec,
        { stopAt, shrinkUntil: stopAt + 30_000, ...tolerance(driver) },
      );
      slot.runs = complete.runs + r.runs;
      slot.steps += r.steps;
      slot.seconds += (Date.now() - started) / 1000;
      slot.undecided += r.stats[UNDECIDED] ?? 0;
      slot.notModelled += r.notModelled ?? 0;
      addKnown(slot.knownRuns, r.known);
      slot.failure = r.failure;
      const known = knownFailure(driver, r.failure);
      slot.known = known.known;
      if (known.kernelFinding) slot.kernelFinding = known.kernelFinding;
      slot.resumed = true; // steps and undecided count work done: the cut chunk ran twice
      opts.onSlot?.(slot);
    } finally {
      await exec.close();
    }
  }
  return {
    slots,
    runs: slots.reduce((a, s) => a + s.runs, 0),
    seconds: (Date.now() - t0) / 1000,
    failures: slots.filter((s) => s.failure && !s.known).length,
  };
}

/** One (driver, suite, XNACK mode)'s slots summed: what the soak covered of it. */
export interface SoakPairTotal {
  driver: string;
  suite: string;
  xnack?: 'on' | 'off';
  runs: number;
  seeds: number;
  /** Every slot ran its runs (false when the time ran out first or a failure ended a slot). */
  reached: boolean;
  /** Runs that broke one of the driver's open findings, per invariant (SoakSlot.knownRuns). */
  knownRuns: Record<string, number>;
}

/** The slots of a soak summed per (driver, suite, XNACK mode), in soak order. */
export function soakTotals(slots: readonly SoakSlot[]): SoakPairTotal[] {
  const out: SoakPairTotal[] = [];
  for (const s of slots) {
    let t = out.find((x) => x.driver === s.driver && x.suite === s.suite && x.xnack === s.xnack);
    if (!t) {
      t = {
        driver: s.driver,
        suite: s.suite,
        ...(s.xnack ? { xnack: s.xnack } : {}),
        runs: 0,
        seeds: 0,
        reached: true,
        knownRuns: {},
      };
      out.push(t);
    }
    t.runs += s.runs;
    t.seeds++;
    addKnown(t.knownRuns, s.knownRuns);
    if (s.target === null || s.runs < s.target) t.reached = false;
  }
  return out;
}
