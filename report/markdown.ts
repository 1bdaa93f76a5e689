// Markdown for a GitHub or GitLab issue: title, what broke and what it means, steps to reproduce,
// expected vs actual, the state around the failing step, the replay command and a Mermaid diagram.
import type { Change, Explanation } from './explanation.js';
import { footerLines } from './footerLines.js';
import { mermaidText } from './mermaid.js';

const STATUS: Record<Explanation['status'], string> = {
  open: 'open: a real bug in this driver',
  fixed: 'fixed: must pass; a failure is a regression',
  expected: 'expected: a deliberately broken driver that must keep failing',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const change = (c: Change): string =>
  c.before === c.after ? cell(c.before) : `${cell(c.before)} → **${cell(c.after)}**`;

export function renderMarkdown(x: Explanation): string {
  const out: string[] = [];
  out.push(`# ${x.title}`, '');
  out.push('| | |', '| --- | --- |');
  out.push(`| kernel | ${cell(x.kernel.version)}, ${x.kernel.options.map(cell).join(', ')} |`);
  out.push(`| scale | ${cell(x.kernel.scale)} |`);
  out.push(`| invariant | ${code(x.invariant.id)} (${x.invariant.cls}) |`);
  out.push(
    `| driver | ${code(x.driver.name)}${x.driver.module ? ` from ${code(x.driver.module)}` : ''}, sha256 ${code(x.driver.hash.slice(0, 16))} |`,
  );
  out.push(`| driver hash | ${cell(x.driver.covers)}; files ${x.driver.hashOf.map(code).join(', ')} |`);
  out.push(`| driver today | ${cell(x.driver.todayText)} |`);
  if (x.extensions.length)
    out.push(
      `| found with | ${x.extensions.map((e) => `${e.kind} module ${code(e.module)}, sha256 ${code(e.hash.slice(0, 16))}`).join('; ')} |`,
    );
  out.push(`| status | ${STATUS[x.status]} |`);
  out.push(`| fingerprint | ${code(x.fingerprint)} |`);
  out.push(
    `| found by | svmcheck ${x.found.toolVersion}, suite ${code(x.found.suite)}, seed ${x.found.seed} |`,
    '',
  );
  out.push('## What broke', '');
  out.push(`> ${x.invariant.meaning}`, '');
  out.push(x.message, '');
  out.push(`- **Expected:** ${x.expected}`, `- **Actual:** ${x.actual}`, '');
  if (x.now.problems.length) {
    out.push('**Replaying today:**', '');
    for (const p of x.now.problems) out.push(`- ${p}`);
    out.push('');
  }
  if (x.witness) out.push('## Evidence', '', '```text', ...x.witness.lines, '```', '');
  out.push('## Steps to reproduce', '');
  for (const s of x.steps)
    out.push(
      `${s.n}. ${code(s.agent)} ${s.operation}${s.resolution === 'applied' ? '' : ` _(${s.resolution})_`}`,
    );
  out.push('');
  if (x.trigger)
    out.push(
      `The invariant breaks after scheduler step ${x.trigger.step}, where ${code(x.trigger.agent)} runs operation ${x.trigger.op} (${x.trigger.operation}).`,
      '',
    );
  out.push('## State around the failing step', '');
  if (x.around.rows.length) {
    out.push(`| VA | ${x.around.columns.join(' | ')} |`);
    out.push(`| --- |${x.around.columns.map(() => ' --- |').join('')}`);
    for (const r of x.around.rows) out.push(`| ${r.va} | ${r.cells.map(change).join(' | ')} |`);
    out.push('', 'Before → **after** the failing step; one value when it did not change.', '');
  } else
    out.push(
      x.trigger
        ? 'The failing step touched no virtual page.'
        : 'Replayed today, the case breaks nothing: there is no failing step to show.',
      '',
    );
  if (x.around.driver.length) {
    out.push("The driver's bookkeeping over those pages:", '');
    for (const d of x.around.driver) out.push(`- ${d.what}: ${change(d)}`);
    out.push('');
  }
  if (x.around.other.length) {
    out.push('Also changed by the failing step:', '');
    for (const o of x.around.other) out.push(`- ${code(o.path)}: ${code(o.before)} → ${code(o.after)}`);
    out.push('');
  }
  out.push('## Interleaving', '', '```text');
  const last = x.interleaving.find((s) => s.broken)?.n;
  for (const s of x.interleaving) {
    if (s.loopStart) out.push(`--- steps ${s.n}..${last ?? ''} repeat forever ---`);
    out.push(
      `[${String(s.n).padStart(2)}] ${s.agent.padEnd(5)} op ${s.op}: ${s.operation} (${s.outcome})${s.broken ? '   <-- invariant broken here' : ''}`,
    );
    for (const e of s.observed) out.push(`       ${e}`);
  }
  out.push('```', '');
  out.push('## Sequence diagram', '', '```mermaid', mermaidText(x.diagram), '```', '');
  out.push('## Replay', '', '```sh', x.replay, '```', '');
  out.push('## Tags for the fix', '', '```text', ...footerLines(x), '```', '');
  return out.join('\n');
}
