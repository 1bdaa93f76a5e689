// Reads the guest's serial console: the runner's "@@SVM {json}" lines, init's "@@SVM-INIT"
// markers and the kernel's own messages. printk output can land in the middle of a runner line
// (the console and the tty share the UART), so a line that does not parse is mended with the next
// lines that carry its tail (where the kernel text starts, or at any cut that gives a line of
// runner.c's keys). Kernel oopses, BUGs, WARNINGs and panics are collected with their
// position among the runner lines, so each can be laid at the door of the program that was running.
import type { Line } from './runOnModel.js';

export type KernelEventKind = 'oops' | 'bug' | 'warning' | 'panic' | 'hung-task';

export interface KernelEvent {
  kind: KernelEventKind;
  /** For a WARNING: where it fired, "file:line". */
  at?: string;
  /** The first line of the report and the lines that follow it (up to a bound). */
  text: string[];
  /** How many runner lines had been seen when it started. */
  afterLine: number;
}

export interface SerialParse {
  runner: Line | null;
  lines: Line[];
  done: boolean;
  payloadEnd: boolean;
  events: KernelEvent[];
  /** Runner lines that could not be mended. */
  garbled: string[];
}

const MARK = '@@SVM ';
const EVENT_PATTERNS: Array<[RegExp, KernelEventKind]> = [
  [/Kernel panic/, 'panic'],
  [/\bOops\b|general protection fault|BUG: unable to handle/, 'oops'],
  [/\bBUG:|kernel BUG at/, 'bug'],
  [/\bWARNING:|------------\[ cut here \]------------/, 'warning'],
  [/INFO: task .* blocked for more than/, 'hung-task'],
];
const EVENT_LINES = 60;
/** Where kernel console text can start inside a line it was printed into. */
const KERNEL_TEXT =
  /------------\[ cut here|WARNING: |BUG: |Oops|general protection|Kernel panic|\[\s*\d+\.\d+\] /g;

/**
 * Every key runner.c prints (test/conformance checks the list against it): a line mended at an
 * arbitrary cut may only carry these, so kernel text glued onto a key ("valu" + "c" + "e":1) is
 * refused.
 */
export const RUNNER_KEYS: ReadonlySet<string> = new Set([
  'arena',
  'child',
  'child_status',
  'cpages',
  'data',
  'errno',
  'error',
  'failed',
  'faults',
  'kernel',
  'line',
  'msg',
  'ok',
  'op',
  'open_failed',
  'p',
  'page_size',
  'proc',
  'programs',
  'ret',
  's',
  'si_code',
  'signal',
  'snap',
  'status',
  'steps',
  'value',
  'version',
  'was_open',
]);

const runnerKeysOnly = (v: Line): boolean => Object.keys(v).every((k) => RUNNER_KEYS.has(k));

function tryJson(text: string): Line | null {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    // The runner's keys are plain words: kernel text spliced into a key or string is not a line.
    const ok = Object.entries(v).every(
      ([k, x]) => /^[a-z_]+$/.test(k) && !(typeof x === 'string' && /[[\]]/.test(x)),
    );
    return ok ? (v as Line) : null;
  } catch {
    return null;
  }
}

export function parseSerial(text: string): SerialParse {
  const raw = text.split('\n').map((l) => l.replace(/\r/g, ''));
  const out: SerialParse = {
    runner: null,
    lines: [],
    done: false,
    payloadEnd: false,
    events: [],
    garbled: [],
  };
  let current: KernelEvent | null = null;
  const used = new Set<number>();
  for (let i = 0; i < raw.length; i++) {
    if (used.has(i)) continue;
    const l = raw[i] ?? '';
    const at = l.indexOf(MARK);
    if (at >= 0) {
      current = null;
      const body = l.slice(at + MARK.length);
      let v = tryJson(body);
      // Mend a runner line split by kernel output: the kernel's text may follow the head on the
      // same line, and the tail is on one of the next lines.
      // Kernel text with no recognisable start (a message printed without a timestamp, such as
      // the clocksource watchdog's) leaves only the cut itself: every prefix, longest first, and
      // a mend there must use runner.c's keys only.
      const heads = [...[...body.matchAll(KERNEL_TEXT)].map((m) => body.slice(0, m.index)), body];
      const cuts = v ? [] : Array.from({ length: body.length }, (_, k) => body.slice(0, body.length - k));
      for (let j = i + 1; !v && j < Math.min(raw.length, i + 200); j++) {
        if ((raw[j] ?? '').includes(MARK)) break;
        for (const h of heads) {
          const mended = tryJson(h + (raw[j] ?? ''));
          if (mended) {
            v = mended;
            used.add(j);
            break;
          }
        }
        for (const h of v ? [] : cuts) {
          const mended = tryJson(h + (raw[j] ?? ''));
          if (mended && runnerKeysOnly(mended)) {
            v = mended;
            used.add(j);
            break;
          }
        }
      }
      if (!v) {
        out.garbled.push(l);
        continue;
      }
      if (v.op === 'runner') out.runner = v;
      else if (v.op === 'done') out.done = true;
      else out.lines.push(v);
      continue;
    }
    if (l.includes('@@SVM-INIT payload-end')) out.payloadEnd = true;
    const hit = EVENT_PATTERNS.find(([re]) => re.test(l));
    if (hit && !(current && current.text.length < EVENT_LINES && hit[1] !== 'panic')) {
      current = { kind: hit[1], text: [l], afterLine: out.lines.length };
      const w = /WARNING: CPU: \d+ PID: \d+ at (\S+)/.exec(l);
      if (w) current.at = w[1] ?? '';
      out.events.push(current);
      continue;
    }
    if (current && current.text.length < EVENT_LINES) {
      current.text.push(l);
      const w = /WARNING: CPU: \d+ PID: \d+ at (\S+)/.exec(l);
      if (w && current.kind === 'warning' && current.at === undefined) current.at = w[1] ?? '';
    }
  }
  return out;
}
