// svmcheck suites: the main job. Every default suite against one driver (the reference by default),
// with a readable summary and the operation/outcome distribution that shows what was exercised.
import { checkDriver, type CheckReport } from '../../check/checkDriver.js';
import { DEFAULT_SUITES, profileByName } from '../../generators/profiles.js';
import { reportJson } from '../../report/json.js';
import { formatFailureText, formatStatsText } from '../../report/text.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function suitesCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('suites', argv, { driver: 'string', runs: 'int', seed: 'int', json: 'bool' });
  if (p.positional.length) throw new UsageError(`svmcheck suites: unexpected argument '${p.positional[0]}'`);
  const driver = await loadDriver(String(p.flags['driver'] ?? 'reference'));
  const runs = intFlag('suites', p, 'runs', 5000, 1, 100_000_000);
  // A fixed default seed: the CI job checks the same programs until the code changes.
  const seed = intFlag('suites', p, 'seed', 42, -(2 ** 31), 2 ** 31 - 1);
  const reports: CheckReport[] = [];
  for (const name of DEFAULT_SUITES) {
    const profile = profileByName(name);
    if (!profile) throw new Error(`missing suite ${name}`);
    const t0 = performance.now();
    const r = checkDriver(driver, profile, { runs, seed });
    io.err(`svmcheck suites: ${name}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    reports.push(r);
  }
  const replayOf = (r: CheckReport): string =>
    r.failure
      ? `npx svmcheck run --driver ${driver.name} --suite ${r.profile} --seed ${seed} --path ${r.failure.path}`
      : '';
  if (p.flags['json']) {
    io.out(
      JSON.stringify({
        ok: reports.every((r) => !r.failure),
        driver: driver.name,
        seed,
        suites: reports.map((r) => reportJson(r, replayOf(r))),
      }),
    );
  } else {
    io.out(`svmcheck: driver '${driver.name}', ${runs} runs per suite, seed ${seed}\n`);
    io.out(`  ${'suite'.padEnd(12)} ${'runs'.padStart(7)} ${'steps'.padStart(9)}  result`);
    for (const r of reports) {
      const res = r.failure ? `FAIL ${r.failure.violation.invariant}` : 'ok';
      io.out(
        `  ${r.profile.padEnd(12)} ${String(r.runs).padStart(7)} ${String(r.steps).padStart(9)}  ${res}`,
      );
    }
    for (const r of reports) {
      io.out(`\nsuite '${r.profile}' (${profileByName(r.profile)?.summary ?? ''}):`);
      io.out(formatStatsText(r));
    }
    for (const r of reports) if (r.failure) io.out(`\n${formatFailureText(r, replayOf(r))}`);
    const bad = reports.filter((r) => r.failure).length;
    io.out(`\n${bad === 0 ? 'all suites passed' : `${bad} suite(s) failed`}`);
  }
  return reports.some((r) => r.failure) ? 1 : 0;
}
