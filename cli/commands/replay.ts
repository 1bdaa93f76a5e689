// svmcheck replay: re-execute saved counterexamples and print their traces.
import {
  ArchiveError,
  loadCounterexampleFile,
  type CounterexampleFile,
} from '../../archive/counterexampleFile.js';
import { execute } from '../../check/execute.js';
import { formatFailureText } from '../../report/text.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('replay', argv, { json: 'bool' });
  if (p.positional.length === 0)
    throw new UsageError('svmcheck replay: give one or more counterexample files');
  const files: Array<[string, CounterexampleFile]> = [];
  for (const f of p.positional) {
    try {
      files.push([f, loadCounterexampleFile(f)]);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck replay: ${e.message}`);
      throw e;
    }
  }
  let failing = 0;
  const results: unknown[] = [];
  for (const [f, cx] of files) {
    const driver = await loadDriver(cx.driver);
    const r = execute(driver, cx.program, { trace: true });
    if (r.violation) failing++;
    results.push({ file: f, driver: cx.driver, status: cx.status, violates: r.violation?.invariant ?? null });
    if (p.flags['json']) continue;
    if (!r.violation) {
      io.out(`pass  ${f}: driver '${cx.driver}' no longer breaks ${cx.invariant}`);
      continue;
    }
    const report = {
      driver: cx.driver,
      profile: cx.suite,
      seed: cx.seed,
      runs: 1,
      steps: r.steps,
      stats: {},
      runsWith: {},
      interrupted: false,
      failure: {
        program: cx.program,
        violation: r.violation,
        trace: r.trace,
        fastCheckOps: cx.program.ops.length,
        fastCheckShrinks: 0,
        minimizeAttempts: 0,
        path: '',
      },
    };
    io.out(formatFailureText(report, `npx svmcheck replay ${f}`));
  }
  if (p.flags['json']) io.out(JSON.stringify({ ok: failing === 0, results }));
  return failing > 0 ? 1 : 0;
}
