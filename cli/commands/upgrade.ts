// svmcheck upgrade FILE...: rewrites schemaVersion 1 counterexamples in the current format, beside
// the old file (which is left for the person to remove: nothing archived is lost). The case is
// replayed on today's model and must still break the invariant it was archived for. A
// schemaVersion 2 file becomes 3 in place, its finding recorded from a replay (addFinding.ts). A
// current file gets its driver's identity re-recorded (refreshIdentity.ts). The driver is
// a built-in named by the file, or a module only when the user names it with --driver PATH: an
// archive file never makes svmcheck load code.
import { dirname } from 'node:path';
import { archiveCase } from '../../archive/archiveCase.js';
import { ArchiveError } from '../../archive/archiveError.js';
import { isJsonSchema } from '../../archive/isJsonSchema.js';
import { casePaths } from '../../archive/casePaths.js';
import { counterexampleRecord } from '../../archive/counterexampleRecord.js';
import { CounterexampleFileV1Schema } from '../../archive/counterexampleFileV1.js';
import { driverIdentity } from '../../archive/driverIdentity.js';
import { parseCounterexample } from '../../archive/parseCounterexample.js';
import { readArchiveJson } from '../../archive/readArchiveText.js';
import { execute } from '../../check/execute.js';
import { builtinDriver } from '../../drivers/builtins.js';
import { explainCase } from '../../report/explainCase.js';
import { renderMarkdown } from '../../report/markdown.js';
import { problemWords } from '../../report/problemWords.js';
import { addFinding, asVersion3 } from '../addFinding.js';
import { caseDriver } from '../caseDriver.js';
import { caseExtensions } from '../caseExtensions.js';
import { namedModules } from '../namedModules.js';
import { caseLink } from '../caseLink.js';
import type { Io } from '../io.js';
import { loadDriver, type LoadedDriver } from '../loadDriver.js';
import { parseArgs } from '../parseArgs.js';
import { refreshIdentity } from '../refreshIdentity.js';
import { shellWord } from '../shellWord.js';
import { UsageError } from '../usageError.js';

export async function upgradeCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('upgrade', argv);
  if (p.positional.length === 0)
    throw new UsageError('svmcheck upgrade: give one or more counterexample files');
  const named = p.flags['driver'] === undefined ? null : await loadDriver(String(p.flags['driver']));
  const modules = namedModules(p);
  for (const file of p.positional) {
    let json: unknown;
    try {
      json = readArchiveJson(file);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck upgrade: ${e.message}`);
      throw e;
    }
    if (isJsonSchema(file, json)) {
      io.out(`skip  ${file}: the archive's JSON Schema, not a counterexample`);
      continue;
    }
    const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version === 2 || version === 3) {
      let cx;
      try {
        cx = version === 2 ? asVersion3(file, json) : parseCounterexample(file, json);
      } catch (e) {
        if (e instanceof ArchiveError) throw new UsageError(`svmcheck upgrade: ${e.message}`);
        throw e;
      }
      const loaded = await caseDriver(file, cx, { named, projectModules: false });
      // A changed module is what upgrade re-records, once the case replays on it as its status says.
      const ext = await caseExtensions(file, cx, { named: modules, projectModules: false, sameCode: false });
      if (version === 2) {
        const up = addFinding(file, cx, loaded, ext);
        io.out(up.line);
        cx = up.cx;
      }
      io.out(await refreshIdentity(file, cx, loaded, ext));
      continue;
    }
    const r = CounterexampleFileV1Schema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new UsageError(
        `svmcheck upgrade: ${file}: field ${i?.path.map(String).join('.') || '(top level)'}: ${i?.message ?? 'invalid'} (upgrade reads schemaVersion 1, 2 and 3 files)`,
      );
    }
    const old = r.data;
    const builtin = builtinDriver(old.driver);
    const loaded: LoadedDriver | null = builtin ? { driver: builtin, module: null } : named;
    if (loaded === null)
      throw new UsageError(
        `svmcheck upgrade: ${file}: field driver: '${old.driver}' is not a built-in driver and upgrade never loads a module an archive names; name it with --driver PATH`,
      );
    const run = execute(loaded.driver, old.program, { trace: true });
    if (run.violation?.invariant !== old.invariant)
      throw new UsageError(
        `svmcheck upgrade: ${file}: the program no longer breaks ${old.invariant} (it breaks ${run.violation?.invariant ?? 'nothing'}): not upgraded`,
      );
    const dir = dirname(file);
    const identity = await driverIdentity(loaded.driver, loaded.module);
    const cx = counterexampleRecord({
      words: problemWords(run.violation),
      failure: {
        program: old.program,
        violation: run.violation,
        trace: run.trace,
        fastCheckOps: old.program.ops.length,
        fastCheckShrinks: 0,
        minimizeAttempts: 0,
        path: '',
      },
      identity,
      suite: old.suite,
      seed: old.seed,
      status: old.status,
      title: old.title,
      archiveDir: dir,
    });
    const paths = casePaths(dir, cx);
    const md = renderMarkdown(
      explainCase({
        cx,
        driver: loaded.driver,
        replay: `npx svmcheck replay ${shellWord(paths.json)}`,
        driverToday: identity,
        link: caseLink(paths.json),
      }),
    );
    try {
      const out = archiveCase(dir, cx, md);
      io.out(`${file} -> ${out.json} (${out.outcome}); remove ${file} once you have checked the new file`);
    } catch (e) {
      if (e instanceof ArchiveError) throw new UsageError(`svmcheck upgrade: ${e.message}`);
      throw e;
    }
  }
  return 0;
}
