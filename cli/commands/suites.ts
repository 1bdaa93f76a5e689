// svmcheck suites: the main job. Every default suite against one driver (the reference by default),
// with a readable summary and the operation/outcome distribution that shows what was exercised.
// A failing suite is archived like a failing run, and CI gets one JUnit testcase per suite.
import type { CheckReport } from '../../check/checkDriver.js';
import { chunkJobs } from '../../check/chunkPlan.js';
import { inProcessExecutor } from '../../check/inProcessExecutor.js';
import { runChunks } from '../../check/runChunks.js';
import { DEFAULT_SUITES, profileByName } from '../../generators/profiles.js';
import { driverIdentity } from '../../archive/driverIdentity.js';
import { reportJson } from '../../report/json.js';
import { renderMailText } from '../../report/mailText.js';
import { formatFailureText, formatStatsText } from '../../report/text.js';
import { checkJunitPath, writeCiOutputs, type CiFailure } from '../ciOutputs.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { recordFailure, type RecordedFailure } from '../recordFailure.js';
import { archiveFlag } from '../archiveFlag.js';
import { UsageError } from '../usageError.js';
import { shellWord } from '../shellWord.js';

export async function suitesCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('suites', argv);
  if (p.positional.length) throw new UsageError(`svmcheck suites: unexpected argument '${p.positional[0]}'`);
  const loaded = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  const driver = loaded.driver;
  const runs = intFlag('suites', p, 'runs');
  // A fixed default seed: the CI job checks the same programs until the code changes.
  const seed = intFlag('suites', p, 'seed');
  const archive = archiveFlag('suites', p.flags['archive']);
  const junit = p.flags['junit'] === undefined ? undefined : String(p.flags['junit']);
  checkJunitPath('suites', junit);
  const reports: Array<{ r: CheckReport; secs: number; rec: RecordedFailure | null }> = [];
  const startedAt = new Date();
  const replayOf = (r: CheckReport): string =>
    r.failure
      ? `npx svmcheck run --driver ${shellWord(loaded.module ?? driver.name)} --suite ${r.profile} --seed ${seed} --path ${r.failure.path}`
      : '';
  for (const name of DEFAULT_SUITES) {
    const profile = profileByName(name);
    if (!profile) throw new Error(`missing suite ${name}`);
    const t0 = performance.now();
    const base = { driver: driver.name, profile: name, seed };
    const r = await runChunks(base, chunkJobs(seed, runs), inProcessExecutor(driver, profile));
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
    io.out(`svmcheck: driver '${driver.name}', ${runs} runs per suite, seed ${seed}\n`);
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
    io.out(`\n${bad === 0 ? 'all suites passed' : `${bad} suite(s) failed`}`);
  }
  const failures: CiFailure[] = [];
  for (const { r, rec } of reports)
    if (r.failure)
      failures.push({
        title: rec?.cx.title ?? r.failure.violation.invariant,
        message: `${r.failure.violation.message}\nReplay: ${replayOf(r)}`,
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
              message: r.failure.violation.message,
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
