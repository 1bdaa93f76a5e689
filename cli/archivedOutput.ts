// How run and explore tell where a failure was archived: a line of text, or the JSON `archived` object.
import type { ArchiveOutcome } from '../archive/archiveCase.js';
import { shellWord } from './shellWord.js';

export function archivedLine(a: ArchiveOutcome): string {
  return a.outcome === 'created'
    ? `Archived: ${a.json} (report: ${a.report}); replay: npx svmcheck replay ${shellWord(a.json)}`
    : `Already archived: ${a.json}${a.outcome === 'kept-existing' ? ' (an archived file with different content was kept)' : ''}`;
}

export function archivedJson(a: ArchiveOutcome): Record<string, string> {
  return {
    file: a.json,
    report: a.report,
    outcome: a.outcome,
    replay: `npx svmcheck replay ${shellWord(a.json)}`,
  };
}
