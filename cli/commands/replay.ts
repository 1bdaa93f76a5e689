// svmcheck replay FILE...: re-execute archived counterexamples and print their traces like run
// does. Exit 1 if any still breaks an invariant; what no longer matches its status is said too.
import { ArchiveError } from '../../archive/archiveError.js';
import type { CounterexampleFile } from '../../archive/counterexampleFile.js';
import { loadCounterexampleFile } from '../../archive/loadCounterexampleFile.js';
import { replayArchived } from '../../archive/replayArchived.js';
import { statusProblems } from '../../archive/statusProblems.js';
import { statusProblemText } from '../../report/statusProblemText.js';
import { formatFailureText } from '../../report/text.js';
import { archivedReport } from '../archivedReport.js';
import { caseDriver } from '../caseDriver.js';
import type { Io } from '../io.js';
import type { LoadedDriver } from '../loadDriver.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';
import { shellWord } from '../shellWord.js';

export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('replay', argv, { json: 'bool' });
  if (p.positional.length === 0)
    throw new UsageError('svmcheck replay: give one or more counterexample files');
  // Everything is loaded and checked before anything runs: bad input is refused as a whole.
  const files: Array<{ file: string; cx: CounterexampleFile; loaded: LoadedDriver }> = [];
  for (const file of p.positional) {
    let cx: CounterexampleFile;
    try {
      cx = loadCounterexampleFile(file);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck replay: ${e.message}`);
      throw e;
    }
    files.push({ file, cx, loaded: await caseDriver(file, cx) });
  }
  let failing = 0;
  const results: unknown[] = [];
  for (const { file, cx, loaded } of files) {
    const r = replayArchived(cx, loaded.driver);
    const problems = statusProblems(cx, r).map((x) => statusProblemText(x, cx));
    if (r.violation) failing++;
    results.push({
      file,
      driver: cx.driver.name,
      status: cx.status,
      invariant: cx.violation.invariant,
      violates: r.violation?.invariant ?? null,
      problems,
    });
    if (p.flags['json']) continue;
    if (!r.violation)
      io.out(`pass  ${file}: driver '${cx.driver.name}' no longer breaks ${cx.violation.invariant}`);
    else {
      const report = archivedReport(cx, r, r.violation);
      io.out(formatFailureText(report, `npx svmcheck replay ${shellWord(file)}`));
    }
    for (const x of problems) io.out(`note  ${file}: ${x}`);
  }
  if (p.flags['json']) io.out(JSON.stringify({ ok: failing === 0, results }));
  return failing > 0 ? 1 : 0;
}
