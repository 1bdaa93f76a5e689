// svmcheck run: property-based check of one driver under one suite.
import { checkDriver } from '../../check/checkDriver.js';
import { profileByName, PROFILES } from '../../generators/profiles.js';
import { reportJson } from '../../report/json.js';
import { formatFailureText, formatStatsText } from '../../report/text.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export const RUN_FLAGS = {
  driver: 'string',
  suite: 'string',
  runs: 'int',
  seed: 'int',
  time: 'int',
  path: 'string',
  json: 'bool',
  stats: 'bool',
} as const;

export function randomSeed(): number {
  return (Date.now() ^ (process.pid << 16)) >>> 1;
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('run', argv, RUN_FLAGS);
  if (p.positional.length) throw new UsageError(`svmcheck run: unexpected argument '${p.positional[0]}'`);
  const driver = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  const suiteName = String(p.flags['suite'] ?? driver.suite ?? 'default');
  const profile = profileByName(suiteName);
  if (!profile)
    throw new UsageError(
      `svmcheck run: unknown suite '${suiteName}' (known: ${PROFILES.map((x) => x.name).join(', ')})`,
    );
  const runs = intFlag('run', p, 'runs', 1000, 1, 100_000_000);
  const seed = intFlag('run', p, 'seed', randomSeed(), -(2 ** 31), 2 ** 31 - 1);
  const time = p.flags['time'] === undefined ? undefined : intFlag('run', p, 'time', 0, 1, 86_400);
  const path = p.flags['path'] === undefined ? undefined : String(p.flags['path']);
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path))
    throw new UsageError(
      `svmcheck run: --path must look like 12:0:3 (from a previous failure), got '${path}'`,
    );
  const t0 = performance.now();
  const r = checkDriver(driver, profile, {
    runs,
    seed,
    ...(time !== undefined ? { timeMs: time * 1000 } : {}),
    ...(path !== undefined ? { path } : {}),
  });
  const secs = (performance.now() - t0) / 1000;
  const replay = r.failure
    ? `npx svmcheck run --driver ${driver.name} --suite ${profile.name} --seed ${seed} --path ${r.failure.path}`
    : '';
  if (p.flags['json']) io.out(JSON.stringify(reportJson(r, replay)));
  else {
    io.out(
      `${r.failure ? 'FAIL' : 'ok  '}  driver '${driver.name}', suite '${profile.name}': ${r.runs} runs, ${r.steps} steps, seed ${seed}${r.interrupted ? ' (time budget reached)' : ''}`,
    );
    if (p.flags['stats']) io.out(formatStatsText(r));
    if (r.failure) io.out(`\n${formatFailureText(r, replay)}`);
  }
  io.err(`svmcheck run: ${secs.toFixed(2)} s, ${Math.round(r.runs / Math.max(secs, 1e-9))} runs/s`);
  return r.failure ? 1 : 0;
}
