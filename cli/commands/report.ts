// svmcheck report FILE: an archived case as a bug report: Markdown for an issue, plain text for a
// mailing list, or JSON for tools, all rendered from one explanation. It never loads a module the
// archive names: a case of a driver loaded by path is rendered only with --driver PATH, one found
// with an invariant or kernel-patch module only with --invariant / --kernel-patch PATH.
import { ArchiveError } from '../../archive/archiveError.js';
import { driverIdentity } from '../../archive/driverIdentity.js';
import { loadCounterexampleFile } from '../../archive/loadCounterexampleFile.js';
import { explainCase } from '../../report/explainCase.js';
import { explanationJson } from '../../report/explanationJson.js';
import { renderMailText } from '../../report/mailText.js';
import { renderMarkdown } from '../../report/markdown.js';
import { caseDriver } from '../caseDriver.js';
import { caseExtensions, patchedFor } from '../caseExtensions.js';
import { namedModules } from '../namedModules.js';
import { caseLink } from '../caseLink.js';
import type { Io } from '../io.js';
import { loadDriver } from '../loadDriver.js';
import { parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';
import { shellWord } from '../shellWord.js';

const FORMATS = ['md', 'text', 'json'] as const;

export async function reportCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('report', argv);
  const format = String(p.flags['format'] ?? 'md');
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`svmcheck report: --format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  if (p.positional.length !== 1)
    throw new UsageError('svmcheck report: give exactly one counterexample file');
  const file = p.positional[0] as string;
  let cx;
  try {
    cx = loadCounterexampleFile(file);
  } catch (e) {
    if (e instanceof ArchiveError) throw new UsageError(`svmcheck report: ${e.message}`);
    throw e;
  }
  const named = p.flags['driver'] === undefined ? null : await loadDriver(String(p.flags['driver']));
  const loaded = await caseDriver(file, cx, { named, projectModules: false });
  const ext = await caseExtensions(file, cx, {
    named: namedModules(p),
    projectModules: false,
    sameCode: true,
  });
  const x = explainCase({
    cx,
    driver: patchedFor(loaded, ext),
    invariants: ext.invariants,
    replay: `npx svmcheck replay ${shellWord(file)}`,
    driverToday: await driverIdentity(loaded.driver, loaded.module, cx.driver.hashScheme ?? 'text'),
    link: caseLink(file),
  });
  // io.out ends the text with a newline: `report FILE > FILE.md` gives the bytes run archives.
  if (format === 'md') io.out(renderMarkdown(x).replace(/\n$/, ''));
  else if (format === 'text') io.out(renderMailText(x).replace(/\n$/, ''));
  else io.out(JSON.stringify(explanationJson(x)));
  return 0;
}
