// svmcheck selfcheck: run the bug catalog and the correct drivers; exit 1 if a bug escapes,
// breaks an unexpected class, or a correct driver fails.
import { selfcheck } from '../../check/selfcheck.js';
import { BUILTIN_DRIVERS } from '../../drivers/builtins.js';
import type { Io } from '../io.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';

export async function selfcheckCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('selfcheck', argv);
  if (p.positional.length)
    throw new UsageError(`svmcheck selfcheck: unexpected argument '${p.positional[0]}'`);
  const r = selfcheck(BUILTIN_DRIVERS, {
    secondsPerEntry: intFlag('selfcheck', p, 'time-per-entry'),
    seeds: intFlag('selfcheck', p, 'seeds'),
    referenceRuns: intFlag('selfcheck', p, 'reference-runs'),
  });
  const bad = r.entries.some((e) => !e.detected || !e.expectedClass) || !r.summary.referencesPassed;
  if (p.flags['json']) {
    io.out(JSON.stringify(r));
    return bad ? 1 : 0;
  }
  io.out(
    `  ${'entry'.padEnd(26)} ${'layer'.padEnd(15)} ${'detected'.padEnd(9)} ${'runs'.padStart(7)} ${'seconds'.padStart(8)} ${'ops'.padStart(4)}  invariant (class)`,
  );
  for (const e of r.entries) {
    const runs = e.runsToDetect[0] ?? 0;
    const secs = e.secondsToDetect[0] ?? 0;
    const cls = e.detected
      ? `${e.invariant} (${e.cls}${e.expectedClass ? '' : `, expected ${e.expects}`})`
      : `escaped (expected ${e.expects})`;
    io.out(
      `  ${e.driver.padEnd(26)} ${e.layer.padEnd(15)} ${`${e.detectedSeeds}/${e.seeds}`.padEnd(9)} ${String(runs).padStart(7)} ${secs.toFixed(2).padStart(8)} ${String(e.shrunkOps ?? '-').padStart(4)}  ${cls}`,
    );
  }
  for (const ref of r.references) {
    const known = Object.entries(ref.known);
    const open = known.length
      ? `, ${known.reduce((n, [, v]) => n + v, 0)} of them upstream behaviour archived open (${known.map(([k, v]) => `${k} ${v}`).join(', ')})`
      : '';
    io.out(
      `  ${ref.driver.padEnd(26)} correct driver: ${ref.ok ? `passed ${ref.runs} runs${open}` : `FAILED ${ref.invariant}`}`,
    );
  }
  const s = r.summary;
  io.out(
    `\n${s.detected}/${s.entries} detected (${(s.detectionRate * 100).toFixed(0)}%), ${s.wrongClass} with an unexpected class; time to detect: median ${s.medianSecondsToDetect.toFixed(2)} s, worst ${s.worstSecondsToDetect.toFixed(2)} s; median shrunk length ${s.medianShrunkOps} operations; correct drivers ${s.referencesPassed ? 'passed' : 'FAILED'}`,
  );
  return bad ? 1 : 0;
}
