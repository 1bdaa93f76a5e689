// svmcheck suites: the main job. Every default suite against one driver (the reference by default),
// with a readable summary and the operation/outcome distribution that shows what was exercised.
// A failing suite is archived like a failing run, and CI gets one JUnit testcase per suite.
import type { CheckReport } from '../../check/checkDriver.js';
import { chunkJobs } from '../../check/chunkPlan.js';
import { inProcessExecutor } from '../../check/inProcessExecutor.js';
import { runChunks, type ChunkExecutor } from '../../check/runChunks.js';
import { DEFAULT_SUITES, profileByName } from '../../generators/profiles.js';
import { UNDECIDED } from '../../check/execute.js';

/** Seconds `suites` (npm start) spends over all its suites when neither --runs nor --time is given. */
const DEFAULT_BUDGET = 60;
import { driverIdentity } from '../../archive/driverIdentity.js';
import { reportJson } from '../../report/json.js';
import { renderMailText } from '../../report/mailText.js';
import { problemWords } from '../../report/problemWords.js';
import { formatFailureText, formatStatsText } from '../../report/text.js';
import { checkJunitPath, writeCiOutputs, type CiFailure } from '../ciOutputs.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { recordFailure, type RecordedFailure } from '../recordFailure.js';
import { archiveFlag } from '../archiveFlag.js';
import { UsageError } from '../usageError.js';
import { shellWord } from '../shellWord.js';
import { kernelFlag } from '../kernelFlag.js';
import { DEFAULT_KERNEL } from '../../model/kernelVersion.js';
import { stepNames } from '../guardDriver.js';
import { workerExecutor } from '../workerExecutor.js';

export async function suitesCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('suites', argv);
  if (p.positional.length) throw new UsageError(`svmcheck suites: unexpected argument '${p.positional[0]}'`);
  const loaded = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  const driver = loaded.driver;
  // By default a time budget (issue 17: a pass of 1,000 programs meant little); --runs gives a
  // fixed number of programs instead, the same output on every machine.
  const byRuns = p.flags['runs'] !== undefined && p.flags['time'] === undefined;
  const budget = byRuns ? undefined : intFlag('suites', p, 'time', DEFAULT_BUDGET);
  const runs = byRuns || p.flags['runs'] !== undefined ? intFlag('suites', p, 'runs') : 100_000_000;
  // A fixed default seed: the CI job checks the same programs until the code changes.
  const seed = intFlag('suites', p, 'seed');
  const stepTimeout = intFlag('suites', p, 'step-timeout');
  const kernel = kernelFlag('suites', p.flags['kernel']) ?? DEFAULT_KERNEL;
  const archive = archiveFlag('suites', p.flags['archive']);
  const junit = p.flags['junit'] === undefined ? undefined : String(p.flags['junit']);
  checkJunitPath('suites', junit);
  const reports: Array<{ r: CheckReport; secs: number; rec: RecordedFailure | null }> = [];
  const startedAt = new Date();
  const replayOf = (r: CheckReport): string =>
    r.failure
      ? `npx svmcheck run --driver ${shellWord(loaded.module ?? driver.name)} --kernel ${kernel} --suite ${r.profile} --seed ${seed} --path ${r.failure.path}`
      : '';
  for (const name of DEFAULT_SUITES) {
    const named = profileByName(name);
    if (!named) throw new Error(`missing suite ${name}`);
    const profile = { ...named, kernel };
    const t0 = performance.now();
    const base = { driver: driver.name, profile: name, seed };
    const share = budget === undefined ? undefined : budget / DEFAULT_SUITES.length;
    const stopAt = share === undefined ? undefined : Date.now() + share * 1000;
    // A driver loaded by path runs on a worker thread under the step watchdog, as in run: a step of
    // its JavaScript that never returns can only be stopped from another thread. The suite's share
    // of the budget bounds a step too.
    const exec: ChunkExecutor = loaded.module
      ? workerExecutor(1, loaded.module, name, kernel, {
          watch: { timeoutMs: Math.min(stepTimeout, share ?? Infinity) * 1000, names: stepNames(driver) },
        })
      : inProcessExecutor(driver, profile);
    let r: CheckReport;
    try {
      r = await runChunks(
        base,
        chunkJobs(seed, runs),
        exec,
        stopAt === undefined ? {} : { stopAt, shrinkUntil: stopAt + 30_000 },
      );
    } finally {
      await exec.close();
    }
    const secs = (performance.now() - t0) / 1000;
    io.err(`svmcheck suites: ${name}: ${secs.toFixed(2)} s`);
    const rec = r.failure
      ? await recordFailure({
          command: 'suites',
          failure: r.failure,
          loaded,
          suite: name,
          seed,
          archiveDir: archive,
          replay: replayOf(r),
        })
      : null;
    reports.push({ r, secs, rec });
  }
  if (p.flags['json']) {
    io.out(
      JSON.stringify({
        ok: reports.every(({ r }) => !r.failure),
        driver: driver.name,
        seed,
        suites: reports.map(({ r, rec }) => ({
          ...reportJson(r, replayOf(r)),
          ...(rec?.archived ? { archived: { file: rec.archived.json, outcome: rec.archived.outcome } } : {}),
        })),
      }),
    );
  } else {
    io.out(
      budget === undefined
        ? `svmcheck: driver '${driver.name}', ${runs} runs per suite, seed ${seed}\n`
        : `svmcheck: driver '${driver.name}', ${budget} s over ${DEFAULT_SUITES.length} suites (as many runs as fit in each share), seed ${seed}\n`,
    );
    io.out(`  ${'suite'.padEnd(12)} ${'runs'.padStart(7)} ${'steps'.padStart(9)}  result`);
    for (const { r } of reports) {
      const res = r.failure ? `FAIL ${r.failure.violation.invariant}` : 'ok';
      io.out(
        `  ${r.profile.padEnd(12)} ${String(r.runs).padStart(7)} ${String(r.steps).padStart(9)}  ${res}`,
      );
    }
    for (const { r } of reports) {
      io.out(`\nsuite '${r.profile}' (${profileByName(r.profile)?.summary ?? ''}):`);
      io.out(formatStatsText(r));
    }
    for (const { r, rec } of reports) {
      if (!r.failure) continue;
      io.out(`\n${formatFailureText(r, replayOf(r))}`);
      if (rec?.archived) io.out(`Archived: ${rec.archived.json} (${rec.archived.outcome})`);
    }
    const bad = reports.filter(({ r }) => r.failure).length;
    const total = reports.reduce((a, { r }) => a + r.runs, 0);
    const undecided = reports.reduce((a, { r }) => a + (r.stats[UNDECIDED] ?? 0), 0);
    io.out(
      bad === 0
        ? `\nall suites passed: ${total} runs from seed ${seed}, no invariant broke in any of them${undecided ? ` (${undecided} left liveness undecided)` : ''}. A pass covers these runs only: npx svmcheck soak tries more seeds.`
        : `\n${bad} suite(s) failed`,
    );
  }
  const failures: CiFailure[] = [];
  for (const { r, rec } of reports)
    if (r.failure)
      failures.push({
        title: rec?.cx.title ?? r.failure.violation.invariant,
        message: `${problemWords(r.failure.violation).message}\nReplay: ${replayOf(r)}`,
        ...(rec?.archived ? { file: rec.archived.json } : {}),
      });
  const source = (await driverIdentity(driver, loaded.module)).entry;
  writeCiOutputs(
    'suites',
    io,
    junit,
    reports.map(({ r, secs, rec }) => ({
      classname: `svmcheck.${driver.name}`,
      name: r.profile,
      seconds: secs,
      file: rec?.archived?.json ?? source,
      ...(r.failure
        ? {
            failure: {
              message: problemWords(r.failure.violation).message,
              type: r.failure.violation.invariant,
              text: rec ? renderMailText(rec.explanation) : formatFailureText(r, replayOf(r)),
            },
          }
        : {}),
    })),
    failures,
    startedAt,
  );
  return reports.some(({ r }) => r.failure) ? 1 : 0;
}
