// svmcheck run: property-based check of one driver under one suite. The driver's archived cases
// are replayed first (a failure there is the run's failure); then the run's budget is generated in
// chunks, and a failure is shrunk, archived with its report, and handed to CI.
import type { CheckReport } from '../../check/checkDriver.js';
import { UNDECIDED } from '../../check/execute.js';
import { driverIdentity } from '../../archive/driverIdentity.js';
import type { ExtensionKind } from '../../archive/counterexampleFile.js';
import { reportJson } from '../../report/json.js';
import { renderMailText } from '../../report/mailText.js';
import { problemWords } from '../../report/problemWords.js';
import { formatFailureText, formatStatsText } from '../../report/text.js';
import { replayArchivedFirst, type ArchivedFirst } from '../archivedFirst.js';
import { archivedReport } from '../archivedReport.js';
import { writeCiOutputs } from '../ciOutputs.js';
import { generateRuns } from '../generateRuns.js';
import type { Io } from '../io.js';
import { recordFailure, type RecordedFailure } from '../recordFailure.js';
import { runOptions, type RunOptions } from '../runOptions.js';
import { archivedJson, archivedLine } from '../archivedOutput.js';
import { shellWord } from '../shellWord.js';
import { baselineLine, baselineVerdict, type BaselineVerdict } from '../baselineVerdict.js';
import { DEFAULT_KERNEL } from '../../model/kernelVersion.js';

interface Outcome {
  report: CheckReport;
  /** The command that reproduces the failure. */
  replay: string;
  first: ArchivedFirst | null;
  /** The archived file whose replay failed, when that is the failure. */
  fromArchive: string | null;
  recorded: RecordedFailure | null;
  /** --baseline: the failing program on the base driver. */
  baseline: BaselineVerdict | null;
}

/** The replay line's --invariant and --kernel-patch: the modules the run had, by path. */
const extensionFlags = (o: RunOptions): string =>
  (o.extensions.invariants.length ? ` --invariant ${shellWord(o.extensions.invariants.join(','))}` : '') +
  (o.extensions.kernelPatch ? ` --kernel-patch ${shellWord(o.extensions.kernelPatch)}` : '');

/** The modules given by path besides the driver, as an archived case records them. */
const extensionModules = (o: RunOptions): Array<{ kind: ExtensionKind; path: string }> => [
  ...o.extensions.invariants.map((path) => ({ kind: 'invariant' as const, path })),
  ...(o.extensions.kernelPatch ? [{ kind: 'kernel-patch' as const, path: o.extensions.kernelPatch }] : []),
  ...(o.extensions.suite ? [{ kind: 'suite' as const, path: o.extensions.suite }] : []),
];

async function check(o: RunOptions, io: Io): Promise<Outcome> {
  const { driver } = o.loaded;
  const named = [...o.extensions.invariants, ...(o.extensions.kernelPatch ? [o.extensions.kernelPatch] : [])];
  // A given --path replays exactly that failure: the archive is not consulted first.
  const first =
    o.archive !== null && !o.path ? await replayArchivedFirst('run', o.archive, o.loaded, named) : null;
  if (first?.failing) {
    const { file, cx, replay, violation, ext } = first.failing;
    const report = { ...archivedReport(cx, replay, violation), profile: o.profile.name, seed: o.seed };
    return {
      report,
      replay: `npx svmcheck replay ${shellWord(file)}`,
      first,
      fromArchive: file,
      recorded: null,
      baseline: o.baseline ? baselineVerdict(o.baseline, cx.program, ext.invariants) : null,
    };
  }
  const report = await generateRuns(o, io);
  const replay = `npx svmcheck run --driver ${shellWord(o.loaded.module ?? driver.name)} --kernel ${o.profile.kernel ?? DEFAULT_KERNEL}${o.profile.xnack ? ` --xnack ${o.profile.xnack}` : ''} --suite ${shellWord(o.extensions.suite ?? o.profile.name)}${extensionFlags(o)} --seed ${o.seed} --path ${report.failure?.path ?? ''}`;
  const recorded = report.failure
    ? await recordFailure({
        command: 'run',
        failure: report.failure,
        loaded: o.loaded,
        suite: o.profile.name,
        seed: o.seed,
        archiveDir: o.archive,
        replay,
        extensions: extensionModules(o),
        invariants: o.extraInvariants,
      })
    : null;
  const baseline =
    o.baseline && report.failure
      ? baselineVerdict(o.baseline, report.failure.program, o.extraInvariants)
      : null;
  return { report, replay, first, fromArchive: null, recorded, baseline };
}

function printJson(o: RunOptions, x: Outcome, io: Io): void {
  const a = x.recorded?.archived;
  io.out(
    JSON.stringify({
      ...reportJson(x.report, x.replay),
      ...(o.shard.n > 1 ? { shard: `${o.shard.i}/${o.shard.n}` } : {}),
      ...(x.first
        ? { archive: { replayed: x.first.replayed, failing: x.fromArchive, notes: x.first.notes } }
        : {}),
      ...(a ? { archived: archivedJson(a) } : {}),
      ...(x.baseline ? { baseline: x.baseline } : {}),
    }),
  );
}

/** What a pass did not decide: runs whose liveness stayed open, or that the model cannot follow. */
function undecidedNote(r: CheckReport): string {
  const undecided = r.stats[UNDECIDED] ?? 0;
  const notModelled = r.notModelled ?? 0;
  const parts = [
    ...(undecided ? [`${undecided} with liveness undecided`] : []),
    ...(notModelled ? [`${notModelled} not modelled`] : []),
  ];
  return parts.length ? `; ${parts.join(', ')}` : '';
}

function printText(o: RunOptions, x: Outcome, io: Io): void {
  const name = o.loaded.driver.name;
  const cx = x.report.failure;
  if (x.first && x.first.replayed > 0)
    io.out(
      `archive: replayed ${x.first.replayed} archived counterexample${x.first.replayed === 1 ? '' : 's'} of '${name}' from ${o.archive} first${x.fromArchive ? '' : ': none breaks an invariant'}`,
    );
  for (const n of x.first?.notes ?? []) io.out(`archive: ${n}`);
  const shard = o.shard.n > 1 ? `, shard ${o.shard.i}/${o.shard.n}` : '';
  io.out(
    x.fromArchive
      ? `FAIL  driver '${name}', suite '${o.profile.name}': archived counterexample ${x.fromArchive} still breaks ${cx?.violation.invariant ?? ''}`
      : `${cx ? 'FAIL' : 'ok  '}  driver '${name}', suite '${o.profile.name}': ${x.report.runs} runs, ${x.report.steps} steps, seed ${o.seed}${shard}${x.report.interrupted ? ' (time budget reached)' : ''}${undecidedNote(x.report)}`,
  );
  if (o.stats) io.out(formatStatsText(x.report));
  if (cx) io.out(`\n${formatFailureText(x.report, x.replay)}`);
  if (x.baseline) io.out(baselineLine(name, x.baseline));
  const a = x.recorded?.archived;
  if (a) io.out(archivedLine(a));
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const o = await runOptions(argv);
  const t0 = performance.now();
  const startedAt = new Date();
  const x = await check(o, io);
  const secs = (performance.now() - t0) / 1000;
  if (o.json) printJson(o, x, io);
  else printText(o, x, io);
  const cx = x.report.failure;
  const file = x.recorded?.archived?.json ?? x.fromArchive;
  // One scheme with suites: the driver is the class under test, the suite the test case.
  const testcase = {
    classname: `svmcheck.${o.loaded.driver.name}`,
    name: o.profile.name,
    seconds: secs,
    file: file ?? (await driverIdentity(o.loaded.base ?? o.loaded.driver, o.loaded.module)).entry,
  };
  writeCiOutputs(
    'run',
    io,
    o.junit,
    [
      cx
        ? {
            ...testcase,
            failure: {
              message: problemWords(cx.violation).message,
              type: cx.violation.invariant,
              text: x.recorded
                ? renderMailText(x.recorded.explanation)
                : formatFailureText(x.report, x.replay),
            },
          }
        : testcase,
    ],
    cx
      ? [
          {
            title:
              x.recorded?.cx.title ??
              `${cx.violation.cls}: ${cx.violation.invariant} in ${o.loaded.driver.name}`,
            message: `${problemWords(cx.violation).message}\nReplay: ${x.replay}`,
            ...(file ? { file } : {}),
          },
        ]
      : [],
    startedAt,
  );
  io.err(`svmcheck run: ${secs.toFixed(2)} s, ${Math.round(x.report.runs / Math.max(secs, 1e-9))} runs/s`);
  const shrink =
    x.report.shrinkMs !== undefined ? `shrinking took ${(x.report.shrinkMs / 1000).toFixed(2)} s` : '';
  if (o.time !== undefined && x.report.interrupted)
    io.err(
      `svmcheck run: the ${o.time} s budget was reached and no run started after it${shrink ? `; ${shrink} (bounded to ${o.shrinkTime} s past the budget)` : ''}`,
    );
  else if (shrink) io.err(`svmcheck run: ${shrink}`);
  return cx ? 1 : 0;
}
