// Compares the model's lines for one program with the kernel's, observation by observation: every
// step line by (process, step), the begin/end/exit lines, and how the run ended (the model may
// predict an oops or a hang, the kernel may show one, or a WARNING). Each difference is named by the
// step and the fields that differ ("dm_read.faults", "read.value"), which is how they are counted.
import type { KernelEvent } from './parseSerial.js';
import type { Line, ModelRun } from './runOnModel.js';

export type KernelEnd = 'ok' | 'oops' | 'hang';

export interface KernelRun {
  lines: Line[];
  end: KernelEnd;
  events: KernelEvent[];
}

export interface Disagreement {
  kind: string;
  at: string;
  model: Line | null;
  kernel: Line | null;
}

export interface Verdict {
  compared: number;
  disagreements: Disagreement[];
}

const keyOf = (l: Line): string =>
  l.op === 'exit' ? 'exit' : `${String(l.proc)}:${l.s === undefined ? String(l.op) : `s${String(l.s)}`}`;

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function differingFields(a: Line, b: Line): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => canonical(a[k]) !== canonical(b[k])).sort();
}

export function compareRun(model: ModelRun, kernel: KernelRun): Verdict {
  const out: Disagreement[] = [];
  const km = new Map(kernel.lines.map((l) => [keyOf(l), l]));
  const mkeys = new Set<string>();
  let compared = 0;
  for (const m of model.lines) {
    const key = keyOf(m);
    mkeys.add(key);
    const k = km.get(key) ?? null;
    if (!k) {
      out.push({ kind: `missing ${String(m.op)}`, at: key, model: m, kernel: null });
      continue;
    }
    compared++;
    const diff = differingFields(m, k);
    if (diff.length) out.push({ kind: `${String(m.op)}.${diff.join('+')}`, at: key, model: m, kernel: k });
  }
  for (const k of kernel.lines)
    if (!mkeys.has(keyOf(k)))
      out.push({ kind: `extra ${String(k.op)}`, at: keyOf(k), model: null, kernel: k });
  const mEnd = model.end === 'model-error' ? 'ok' : model.end;
  if (model.end === 'model-error')
    out.push({ kind: 'model-error', at: model.message, model: null, kernel: null });
  if (mEnd !== kernel.end)
    out.push({
      kind: `ends: model ${model.end}, kernel ${kernel.end}`,
      at: 'end',
      model: null,
      kernel: null,
    });
  // WARNINGs: the kernel's, by file:line, against the model's predictions (order is not kept on a console).
  const predicted = [...model.warnings];
  for (const e of kernel.events) {
    if (e.kind === 'warning') {
      const i = predicted.indexOf(e.at ?? '');
      if (i >= 0) {
        predicted.splice(i, 1);
        compared++;
      } else
        out.push({
          kind: `kernel WARNING at ${e.at ?? '?'}`,
          at: e.text.join('\n'),
          model: null,
          kernel: null,
        });
    } else if (e.kind !== 'oops' && e.kind !== 'bug' && e.kind !== 'panic')
      out.push({ kind: `kernel ${e.kind}`, at: e.text.join('\n'), model: null, kernel: null });
  }
  for (const w of predicted) out.push({ kind: `model WARNING at ${w}`, at: w, model: null, kernel: null });
  return { compared, disagreements: out };
}
