// Plain text for a kernel mailing-list mail: the same explanation, every line at most 72 columns.
import type { Change, Explanation } from './explanation.js';
import { footerLines } from './footerLines.js';
import { witnessText } from './witnessText.js';
import { wrapText } from './wrapText.js';

export const MAIL_WIDTH = 72;

const W = MAIL_WIDTH;

const STATUS: Record<Explanation['status'], string> = {
  open: 'open (a real bug in this driver)',
  fixed: 'fixed (must pass; a failure is a regression)',
  expected: 'expected (a deliberately broken driver that must keep failing)',
};

const field = (name: string, value: string): string[] =>
  wrapText(value, W, ' '.repeat(13), `${name.padEnd(12)} `);
const para = (text: string, indent = ''): string[] => wrapText(text, W, indent, indent);
const change = (c: Change): string => (c.before === c.after ? c.before : `${c.before} => ${c.after}`);

/** A shell command split over lines with backslash continuations. */
function command(cmd: string, indent: string): string[] {
  const out: string[] = [];
  let line = indent;
  for (const word of cmd.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > W - 2) {
      out.push(`${line} \\`);
      line = `${indent}    `;
    }
    line += line.trim() ? ` ${word}` : word;
  }
  out.push(line);
  return out.flatMap((l) => (l.length > W ? wrapText(l, W, `${indent}    `) : [l]));
}

export function renderMailText(x: Explanation): string {
  const out: string[] = [];
  out.push(...para(`[svmcheck] ${x.title}`), '');
  out.push(...field('Kernel:', `${x.kernel.version}, ${x.kernel.options.join(', ')}`));
  out.push(...field('Scale:', x.kernel.scale));
  out.push(...field('Invariant:', `${x.invariant.id} (${x.invariant.cls})`));
  out.push(...para(x.invariant.meaning, ' '.repeat(13)));
  out.push(
    ...field(
      'Driver:',
      `${x.driver.name}${x.driver.module ? ` from ${x.driver.module}` : ''}, sha256 ${x.driver.hash.slice(0, 16)}: ${x.driver.covers}; files ${x.driver.hashOf.join(', ')}; ${x.driver.todayText}`,
    ),
  );
  if (x.extensions.length)
    out.push(
      ...field(
        'Found with:',
        x.extensions.map((e) => `${e.kind} module ${e.module}, sha256 ${e.hash.slice(0, 16)}`).join('; '),
      ),
    );
  out.push(...field('Status:', STATUS[x.status]));
  out.push(
    ...field('Found by:', `svmcheck ${x.found.toolVersion}, suite ${x.found.suite}, seed ${x.found.seed}`),
  );
  out.push(...field('Fingerprint:', x.fingerprint.slice(0, 16)), '');
  out.push(...para(x.message), '');
  out.push(...field('Expected:', x.expected), ...field('Actual:', x.actual), '');
  if (x.now.problems.length) {
    out.push('Replaying today:');
    for (const p of x.now.problems) out.push(...wrapText(p, W, '    ', '  - '));
    out.push('');
  }
  if (x.witness) {
    // lockdep's own layout, kept where it fits; a longer line wraps under its indentation.
    for (const l of witnessText(x.witness.data, W)) {
      const indent = /^ */.exec(l)?.[0] ?? '';
      out.push(...(l.length <= W ? [l] : wrapText(l.trim(), W, `${indent}    `, indent)));
    }
    out.push('');
  }
  out.push('Steps to reproduce:');
  for (const s of x.steps)
    out.push(
      ...wrapText(
        `${s.agent} ${s.operation}${s.resolution === 'applied' ? '' : ` (${s.resolution})`}`,
        W,
        '      ',
        `${String(s.n).padStart(3)}. `,
      ),
    );
  out.push('');
  if (x.trigger)
    out.push(
      ...para(
        `The invariant breaks after scheduler step ${x.trigger.step}, where ${x.trigger.agent} runs operation ${x.trigger.op} (${x.trigger.operation}).`,
      ),
      '',
    );
  if (x.around.rows.length) {
    out.push('State around the failing step (before => after):');
    for (const r of x.around.rows) {
      out.push(`  ${r.va}`);
      r.cells.forEach((c, i) =>
        out.push(
          ...wrapText(change(c), W, ' '.repeat(20), `    ${`${x.around.columns[i] ?? ''}:`.padEnd(15)} `),
        ),
      );
    }
    for (const d of x.around.driver) out.push(...wrapText(change(d), W, '      ', `  ${d.what}: `));
    for (const o of x.around.other) {
      const head = `  ${o.path}: `;
      // A long path (a driver field with its meaning) gets a line of its own.
      if (head.length > W / 2)
        out.push(
          ...wrapText(`${o.path}:`, W, '      ', '  '),
          ...wrapText(`${o.before} => ${o.after}`, W, '      ', '      '),
        );
      else out.push(...wrapText(`${o.before} => ${o.after}`, W, '      ', head));
    }
    out.push('');
  } else if (!x.trigger)
    out.push(...para('Replayed today, the case breaks nothing: there is no failing step to show.'), '');
  out.push('Interleaving (one line per scheduler step):');
  const last = x.interleaving.find((s) => s.broken)?.n;
  for (const s of x.interleaving) {
    if (s.loopStart) out.push(`  --- steps ${s.n}..${last ?? ''} repeat forever ---`);
    out.push(
      ...wrapText(
        `${s.agent} op ${s.op}: ${s.operation} (${s.outcome})${s.broken ? ' <-- invariant broken here' : ''}`,
        W,
        '         ',
        `  [${String(s.n).padStart(2)}] `,
      ),
    );
    for (const e of s.observed) out.push(...wrapText(e, W, '           ', '         '));
  }
  out.push('', 'Replay:', ...command(x.replay, '  '), '');
  out.push('If you fix the issue, please add these tags to the commit:', ...footerLines(x), '');
  return out.join('\n');
}
