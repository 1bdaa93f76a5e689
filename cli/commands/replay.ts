// svmcheck replay FILE...: re-execute archived counterexamples and print their traces like run
// does. Exit 1 if any still breaks an invariant; what no longer matches its status is said too.
// A driver module is loaded only when --driver names it or it lies inside the archive's project;
// so are the invariant and kernel-patch modules a case was found with (--invariant, --kernel-patch).
import { ArchiveError } from '../../archive/archiveError.js';
import { isJsonSchema } from '../../archive/isJsonSchema.js';
import type { CounterexampleFile } from '../../archive/counterexampleFile.js';
import { parseCounterexample } from '../../archive/parseCounterexample.js';
import { readArchiveJson } from '../../archive/readArchiveText.js';
import { replayArchived } from '../../archive/replayArchived.js';
import { statusProblems } from '../../archive/statusProblems.js';
import { statusProblemText } from '../../report/statusProblemText.js';
import { formatFailureText } from '../../report/text.js';
import { archivedReport } from '../archivedReport.js';
import { caseDriver } from '../caseDriver.js';
import { caseExtensions, patchedFor, type CaseExtensions } from '../caseExtensions.js';
import { namedModules } from '../namedModules.js';
import type { Io } from '../io.js';
import { loadDriver, type LoadedDriver } from '../loadDriver.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';
import { shellWord } from '../shellWord.js';
import { kernelFlag } from '../kernelFlag.js';
import { kernelOf } from '../../model/kernelVersion.js';

export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('replay', argv);
  if (p.positional.length === 0)
    throw new UsageError('svmcheck replay: give one or more counterexample files');
  const named = p.flags['driver'] === undefined ? null : await loadDriver(String(p.flags['driver']));
  // Without --kernel a case replays on the release it was found on (its config's; none: 6.1).
  const kernel = kernelFlag('replay', p.flags['kernel']);
  // Everything is loaded and checked before anything runs: bad input is refused as a whole.
  const modules = namedModules(p);
  const files: Array<{ file: string; cx: CounterexampleFile; loaded: LoadedDriver; ext: CaseExtensions }> =
    [];
  const skipped: string[] = [];
  for (const file of p.positional) {
    let cx: CounterexampleFile;
    try {
      const json = readArchiveJson(file);
      if (isJsonSchema(file, json)) {
        skipped.push(file);
        continue;
      }
      cx = parseCounterexample(file, json);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck replay: ${e.message}`);
      throw e;
    }
    const loaded = await caseDriver(file, cx, { named, projectModules: true });
    const ext = await caseExtensions(file, cx, { named: modules, projectModules: true, sameCode: true });
    files.push({ file, cx, loaded, ext });
  }
  if (files.length === 0)
    throw new UsageError(`svmcheck replay: no counterexample among ${p.positional.join(', ')}`);
  let failing = 0;
  const results: unknown[] = [];
  for (const file of skipped)
    if (!p.flags['json']) io.out(`skip  ${file}: the archive's JSON Schema, not a counterexample`);
  for (const { file, cx: archived, loaded, ext } of files) {
    const cx = kernel
      ? { ...archived, program: { ...archived.program, config: { ...archived.program.config, kernel } } }
      : archived;
    const r = replayArchived(cx, patchedFor(loaded, ext), ext.invariants);
    const problems = statusProblems(cx, r).map((x) => statusProblemText(x, cx));
    if (r.violation) failing++;
    results.push({
      file,
      kernel: kernelOf(cx.program.config),
      driver: cx.driver.name,
      status: cx.status,
      invariant: cx.violation.invariant,
      violates: r.violation?.invariant ?? null,
      problems,
    });
    if (p.flags['json']) continue;
    const on = `Linux ${kernelOf(cx.program.config)} rules`;
    if (!r.violation)
      io.out(`pass  ${file}: driver '${cx.driver.name}' no longer breaks ${cx.violation.invariant} (${on})`);
    else {
      const report = archivedReport(cx, r, r.violation);
      const again = `npx svmcheck replay ${kernel ? `--kernel ${kernel} ` : ''}${shellWord(file)}`;
      io.out(formatFailureText(report, again));
    }
    for (const x of problems) io.out(`note  ${file}: ${x}`);
  }
  if (p.flags['json']) io.out(JSON.stringify({ ok: failing === 0, results, skipped }));
  return failing > 0 ? 1 : 0;
}
