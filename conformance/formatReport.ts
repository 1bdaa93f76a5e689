// Renders a conformance result: the agreement figures (programs, steps, observations compared,
// disagreements by kind), the kernel reports outside any program, and each shrunk counterexample
// with the program in runner syntax and the model's and the kernel's lines side by side.
import { formatStep } from './formatProgram.js';
import type { ConformanceResult } from './runConformance.js';

const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)} %`);

export function conformanceFailed(r: ConformanceResult): boolean {
  return (
    r.agreeing < r.run || r.stray.some((e) => e.kind === 'oops' || e.kind === 'bug' || e.kind === 'panic')
  );
}

export function formatConformanceText(r: ConformanceResult): string {
  const out: string[] = [];
  const agreeObs = r.observations - Math.min(r.observations, r.disagreeingObservations);
  out.push(
    `${conformanceFailed(r) ? 'FAIL' : 'ok  '}  conformance of the model against Linux ${r.kernel || '?'} (lib/test_hmm.c): ${r.programs} programs, seed ${r.seed}`,
  );
  out.push(`  boots                 ${r.boots}`);
  out.push(`  programs run          ${r.run}, agreeing ${r.agreeing} (${pct(r.agreeing, r.run)})`);
  out.push(`  steps                 ${r.steps}`);
  out.push(
    `  observations          ${r.observations} compared, ${agreeObs} agreeing (${pct(agreeObs, r.observations)})`,
  );
  out.push(
    `  boot-ending programs  ${r.crashes.predicted} predicted by the model (oops, hang or leaked device page), ${r.crashes.run} run, ${r.crashes.agreeing} as predicted`,
  );
  out.push(`  programs not run      ${r.notRun} (boot-ending programs beyond one per boot, or lost twice)`);
  const kinds = Object.entries(r.byKind).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  out.push(`  disagreements         ${kinds.length ? '' : 'none'}`);
  for (const [k, n] of kinds) out.push(`    ${String(n).padStart(6)}  ${k}`);
  if (r.stray.length) {
    out.push('', 'Kernel reports outside any program:');
    for (const e of r.stray) out.push(`  ${e.kind}: ${e.text[0] ?? ''}`);
  }
  r.counterexamples.forEach((cx, i) => {
    out.push(
      '',
      `Counterexample ${i + 1} (program ${cx.originalId} shrunk in ${cx.rounds} rounds): ${cx.kinds.join(' | ')}`,
    );
    cx.program.steps.forEach((st, s) => out.push(`  ${String(s).padStart(3)}  ${formatStep(st)}`));
    out.push(
      `  model ended ${cx.model.end}${cx.model.message ? `: ${cx.model.message}` : ''}; kernel ended ${cx.kernel.end}`,
    );
    for (const d of cx.disagreements) {
      out.push(`  ${d.kind} at ${d.at.split('\n')[0] ?? ''}`);
      out.push(`    model  ${d.model ? JSON.stringify(d.model) : '-'}`);
      out.push(`    kernel ${d.kernel ? JSON.stringify(d.kernel) : '-'}`);
    }
    out.push(`  saved: ${cx.file}`);
  });
  return out.join('\n');
}

export function formatConformanceJson(r: ConformanceResult): string {
  const { counterexamples, ...rest } = r;
  return JSON.stringify({
    ok: !conformanceFailed(r),
    ...rest,
    counterexamples: counterexamples.map((cx) => ({
      originalId: cx.originalId,
      kinds: cx.kinds,
      program: cx.program,
      modelEnd: cx.model.end,
      kernelEnd: cx.kernel.end,
      disagreements: cx.disagreements,
      file: cx.file,
    })),
  });
}
