// Plain-text rendering of a check: a summary line per run and, on failure, the counterexample as
// numbered operations, the interleaving that breaks the invariant, and how to replay it.
import type { CheckReport } from '../check/checkDriver.js';
import { counterexampleView } from './counterexampleView.js';
import { meaningOf } from './meaning.js';
import { witnessText } from './witnessText.js';
import { failingStepMark } from './problemKindWords.js';
import { problemWords } from './problemWords.js';

export function formatFailureText(r: CheckReport, replay: string): string {
  const cx = r.failure;
  if (!cx) return '';
  const v = cx.violation;
  const view = counterexampleView(cx);
  const out: string[] = [];
  const where = cx.explored ? `scope '${cx.explored.scope}'` : `suite '${r.profile}'`;
  out.push(`FAIL  driver '${r.driver}' broke ${v.invariant} (${v.cls}) in ${where}`);
  out.push(`      ${meaningOf(v.invariant)}`);
  out.push('');
  const w = problemWords(v);
  out.push(`  ${w.message}`);
  out.push(`  expected: ${w.expected}`);
  out.push(`  actual:   ${w.actual}`);
  if (v.witness) {
    out.push('');
    for (const l of witnessText(v.witness)) out.push(`  ${l}`.trimEnd());
  }
  out.push('');
  out.push(
    `Counterexample: ${cx.program.ops.length} operation${cx.program.ops.length === 1 ? '' : 's'} (${view.config})`,
  );
  for (const o of view.operations)
    out.push(`  ${String(o.n).padStart(2)}. ${o.agent.padEnd(5)} ${o.operation}`);
  out.push('');
  out.push('Interleaving (one line per scheduler step; "preempted" marks a preemption point):');
  const loopFrom = v.witness?.k === 'lasso' ? v.witness.from : -1;
  for (const s of view.steps) {
    if (s.n === loopFrom) out.push(`  --- steps ${loopFrom}..${v.step + 1} repeat forever ---`);
    const mark = s.n === v.step + 1 ? `  <-- ${failingStepMark(v.kind)}` : '';
    const what = s.op > 0 ? `op ${s.op}: ${s.operation}` : 'kernel work';
    out.push(`  [${String(s.n).padStart(2)}] ${s.agent.padEnd(5)} ${what} (${s.outcome})${mark}`);
    for (const e of s.observed) out.push(`         ${e}`);
  }
  out.push('');
  // A replayed archived case was not shrunk in this run: nothing to say about shrinking.
  if (cx.explored)
    out.push(
      `Shortest within scope '${cx.explored.scope}': breadth-first exploration reached it in ${cx.explored.depth} steps (${cx.explored.distinct} distinct states visited).`,
    );
  else if (cx.fastCheckShrinks > 0 || cx.minimizeAttempts > 0)
    out.push(
      `Shrunk by fast-check to ${cx.fastCheckOps} operations (${cx.fastCheckShrinks} shrinks), then minimized (${cx.minimizeAttempts} attempts).`,
    );
  out.push(`Replay: ${replay}`);
  out.push(`Program: ${JSON.stringify(cx.program)}`);
  return out.join('\n');
}

/** Every counter of the run, operations first, each with the share of runs it occurred in. */
export function formatStatsText(r: CheckReport): string {
  const keys = Object.keys(r.stats).sort();
  const ops = keys.filter((k) => k.startsWith('op '));
  const outcomes = keys.filter((k) => !k.startsWith('op '));
  const line = (k: string): string =>
    `    ${k.padEnd(40)} ${String(r.stats[k]).padStart(8)}  in ${(((r.runsWith[k] ?? 0) / Math.max(1, r.runs)) * 100).toFixed(1).padStart(5)}% of runs`;
  return ['  operations started:', ...ops.map(line), '  outcomes:', ...outcomes.map(line)].join('\n');
}
