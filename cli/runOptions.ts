// The flags of `svmcheck run` (declared in cli/commandSpecs.ts), checked at the boundary: every
// value in range, no conflicting pair, the archive and JUnit paths usable, before any work starts.
import type { Shard } from '../check/chunkPlan.js';
import type { Profile } from '../generators/profiles.js';
import type { Invariant } from '../properties/invariant.js';
import { archiveFlag } from './archiveFlag.js';
import { checkJunitPath } from './ciOutputs.js';
import { resolve } from 'node:path';
import { loadDriver, type LoadedDriver } from './loadDriver.js';
import { loadInvariants } from './loadInvariants.js';
import { loadKernelPatch } from './loadKernelPatch.js';
import { loadSuite } from './loadSuite.js';
import { intFlag, parseArgs } from './parseArgs.js';
import { shardFlag } from './shardFlag.js';
import { kernelFlag } from './kernelFlag.js';
import { xnackFlag } from './xnackFlag.js';
import { DEFAULT_KERNEL } from '../model/kernelVersion.js';
import { UsageError } from './usageError.js';

/** The largest --runs: what a run bounded by --time alone may take. */
const RUNS_MAX = 100_000_000;

export interface RunOptions {
  loaded: LoadedDriver;
  profile: Profile;
  runs: number;
  seed: number;
  /** Seconds of wall-clock budget for starting runs. */
  time?: number;
  /** Seconds shrinking may go on past the budget. */
  shrinkTime: number;
  /** Chunk index and fast-check path of a failure to replay. */
  path?: { chunk: number; path: string };
  shard: Shard;
  workers: number;
  /** Seconds a step of a driver loaded by path may run before the watchdog stops it. */
  stepTimeout: number;
  /** Modules given by path besides the driver (absolute paths): they run on worker threads, which load them. */
  extensions: RunExtensions;
  /** The invariants of --invariant modules, for checks run in this thread. */
  extraInvariants: Invariant[];
  /** --baseline: the driver a failure is replayed on too (with the run's kernel patch). */
  baseline?: LoadedDriver;
  /** Archive directory, null for --archive none. */
  archive: string | null;
  junit?: string;
  /** Seconds between progress lines when stderr is not a terminal. */
  progress: number;
  json: boolean;
  stats: boolean;
}

const CONFLICTS: ReadonlyArray<[string, string, string]> = [
  ['path', 'shard', 'a --path names one chunk of the whole run'],
  ['path', 'workers', 'a --path replays one chunk'],
  ['path', 'time', 'a --path replays one failure'],
  ['json', 'progress', '--json prints nothing but the result'],
];

export interface RunExtensions {
  /** --suite PATH; null for a built-in suite. */
  suite: string | null;
  /** --invariant PATH,...: the modules, and the ids of the invariants they export. */
  invariants: string[];
  invariantIds: string[];
  /** --kernel-patch PATH. */
  kernelPatch: string | null;
}

export function randomSeed(): number {
  return (Date.now() ^ (process.pid << 16)) >>> 1;
}

export async function runOptions(argv: readonly string[]): Promise<RunOptions> {
  const p = parseArgs('run', argv);
  if (p.positional.length) throw new UsageError(`svmcheck run: unexpected argument '${p.positional[0]}'`);
  const has = (f: string): boolean => p.flags[f] !== undefined;
  for (const [a, b, why] of CONFLICTS)
    if (has(a) && has(b)) throw new UsageError(`svmcheck run: --${a} and --${b} cannot be combined (${why})`);
  if (has('shrink-time') && !has('time'))
    throw new UsageError(
      'svmcheck run: --shrink-time bounds shrinking past a --time budget: give --time too',
    );
  let loaded = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  // A driver may name the suite it is hunted in (fence policies: 'fences').
  const suite = await loadSuite('run', String(p.flags['suite'] ?? loaded.driver.suite ?? 'default'));
  const named = suite.profile;
  const invariantPaths = has('invariant') ? String(p.flags['invariant']).split(',') : [];
  // Loaded here so that a bad module is bad input before any work starts; workers load them again.
  const invariants = await loadInvariants(invariantPaths);
  const patch = has('kernel-patch') ? await loadKernelPatch(String(p.flags['kernel-patch'])) : null;
  if (patch)
    loaded = { ...loaded, driver: { ...loaded.driver, kernelPatch: patch.patch }, base: loaded.driver };
  const baseDriver = has('baseline') ? await loadDriver(String(p.flags['baseline'])) : null;
  const baseline =
    baseDriver && patch
      ? { ...baseDriver, driver: { ...baseDriver.driver, kernelPatch: patch.patch } }
      : baseDriver;
  const xnack = xnackFlag('run', p.flags['xnack'], loaded.driver);
  const profile: Profile = {
    ...named,
    kernel: kernelFlag('run', p.flags['kernel']) ?? DEFAULT_KERNEL,
    ...(xnack ? { xnack } : {}),
  };
  const path = p.flags['path'] === undefined ? undefined : String(p.flags['path']);
  if (path !== undefined && !/^\d+(:\d+)+$/.test(path))
    throw new UsageError(
      `svmcheck run: --path must look like 3:12:0:1 (chunk, then fast-check's path, from a previous failure), got '${path}'`,
    );
  const junit = p.flags['junit'] === undefined ? undefined : String(p.flags['junit']);
  checkJunitPath('run', junit);
  const time = has('time') ? intFlag('run', p, 'time') : undefined;
  return {
    loaded,
    profile,
    // --time alone bounds the run: as many runs as the budget allows.
    runs: time !== undefined && !has('runs') ? RUNS_MAX : intFlag('run', p, 'runs'),
    seed: intFlag('run', p, 'seed', randomSeed()),
    ...(time !== undefined ? { time } : {}),
    shrinkTime: intFlag('run', p, 'shrink-time'),
    ...(path !== undefined
      ? { path: { chunk: Number(path.split(':')[0]), path: path.slice(path.indexOf(':') + 1) } }
      : {}),
    shard: shardFlag('run', has('shard') ? String(p.flags['shard']) : undefined),
    workers: intFlag('run', p, 'workers'),
    stepTimeout: intFlag('run', p, 'step-timeout'),
    extraInvariants: invariants,
    ...(baseline ? { baseline } : {}),
    extensions: {
      suite: suite.module,
      invariants: invariantPaths.map((x) => resolve(x)),
      invariantIds: invariants.map((i) => i.id),
      kernelPatch: patch?.module ?? null,
    },
    // An archived case records the modules beside the driver too (cli/caseExtensions.ts replays them).
    archive: archiveFlag('run', p.flags['archive']),
    ...(junit !== undefined ? { junit } : {}),
    progress: intFlag('run', p, 'progress'),
    json: p.flags['json'] === true,
    stats: p.flags['stats'] === true,
  };
}
