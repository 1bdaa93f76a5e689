// Splits a parsed console into per-program kernel runs, in console order, keeping track of the
// program that is running: kernel reports go to it, and a program that began but never exited
// ended the boot, with an oops (a report says so) or by hanging. Programs that never began are lost.
import type { KernelRun } from './compareRun.js';
import type { KernelEvent, SerialParse } from './parseSerial.js';
import type { ConfProgram } from './program.js';

export interface Split {
  runs: Map<number, KernelRun>;
  lost: number[];
  /** Kernel reports outside any program (boot, teardown). */
  stray: KernelEvent[];
}

export function splitRuns(parse: SerialParse, programs: readonly ConfProgram[]): Split {
  const runs = new Map<number, KernelRun>();
  const stray: KernelEvent[] = [];
  // Walk the lines in console order, keeping track of the program that is running.
  let current: KernelRun | null = null;
  let ev = 0;
  const flushEvents = (upto: number): void => {
    for (; ev < parse.events.length && (parse.events[ev]?.afterLine ?? 0) <= upto; ev++) {
      const e = parse.events[ev] as KernelEvent;
      if (current) current.events.push(e);
      else stray.push(e);
    }
  };
  parse.lines.forEach((l, i) => {
    flushEvents(i);
    const p = Number(l.p);
    if (l.op === 'begin' && l.proc === 0) {
      current = { lines: [], end: 'ok', events: [] };
      runs.set(p, current);
    }
    runs.get(p)?.lines.push(l);
    if (l.op === 'exit') current = null;
  });
  flushEvents(Number.MAX_SAFE_INTEGER);
  const open: KernelRun | null = current;
  if (open) {
    const r: KernelRun = open;
    r.end = r.events.some((e) => e.kind === 'oops' || e.kind === 'bug' || e.kind === 'panic')
      ? 'oops'
      : 'hang';
  }
  const lost = programs.filter((p) => !runs.has(p.id)).map((p) => p.id);
  return { runs, lost, stray };
}
