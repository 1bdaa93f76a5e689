// Builds the archive form of one program's comparison (conformanceFile.ts), for shrunk
// disagreements and for recorded runs. Disagreements get status 'open' (the model must be fixed);
// an agreeing run is a kernel case whose title and report are written by hand when it is a finding.
import type { ConformanceFile } from './conformanceFile.js';
import type { Outcome } from './runOnKernel.js';

export function toConformanceFile(x: Outcome, meta: { seed: number; kernel: string }): ConformanceFile {
  const kinds = [...new Set(x.verdict.disagreements.map((d) => d.kind))].sort();
  const log = x.kernel.events.flatMap((e) => e.text);
  return {
    schemaVersion: 1,
    title: kinds.length
      ? `model and Linux ${meta.kernel} disagree: ${kinds.join(' | ')}`
      : `program ${x.program.id}: model and Linux ${meta.kernel} agree (${x.kernel.end})`,
    driver: 'dmirror',
    suite: 'conformance',
    seed: meta.seed,
    invariant: kinds.length ? 'kernel-conformance' : 'kernel-finding',
    message: kinds.length ? kinds.join(' | ') : x.model.message,
    status: 'open',
    kernel: meta.kernel || '?',
    program: x.program,
    model: { end: x.model.end, lines: x.model.lines, warnings: x.model.warnings },
    observed: { end: x.kernel.end, lines: x.kernel.lines, log },
  };
}
