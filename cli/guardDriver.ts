// A driver loaded by path, guarded: what its own JavaScript does wrong is the driver's fault and
// is reported as such. Its plain functions (init, pgmapOwner, ranges, bos, pageFree) throwing
// becomes a ToolError that names them (a step's throw already does, check/stepFailure.ts), and
// every step marks a heartbeat the main thread's watchdog reads (cli/stepWatchdog.ts), so a step
// that never returns can be told from a slow run and stopped.
import { ToolError } from '../check/stepFailure.js';
import type { Driver } from '../model/driver.js';
import type { Proc } from '../model/proc.js';

/** Shared with the watchdog: [0] steps entered, [1] 1 while a driver step runs, [2] which step (index in stepNames). */
export type Heartbeat = Int32Array;

export const HEARTBEAT_WORDS = 3;

/** The driver's steps as "procedure 'P' step 'S'", in the order guardDriver numbers them. */
export function stepNames(d: Driver): string[] {
  return Object.entries(d.procs).flatMap(([name, p]) =>
    Object.keys(p.steps).map((pc) => `procedure '${name}' step '${pc}'`),
  );
}

function guardFn<A extends unknown[], R>(what: string, f: (...a: A) => R): (...a: A) => R {
  return (...a) => {
    try {
      return f(...a);
    } catch (e) {
      if (e instanceof ToolError) throw e;
      throw new ToolError(`internal error in ${what}`, e);
    }
  };
}

function guardProc(p: Proc, beat: Heartbeat | null, first: number): Proc {
  if (!beat) return p;
  const steps: Proc['steps'] = {};
  Object.entries(p.steps).forEach(([pc, h], i) => {
    steps[pc] = (env, l, r) => {
      Atomics.add(beat, 0, 1);
      Atomics.store(beat, 2, first + i);
      Atomics.store(beat, 1, 1);
      try {
        return h(env, l, r);
      } finally {
        Atomics.store(beat, 1, 0);
      }
    };
  });
  return { ...p, steps };
}

/** `d` with its functions guarded and, given a heartbeat, its steps reporting to the watchdog. */
export function guardDriver(d: Driver, beat: Heartbeat | null): Driver {
  let first = 0;
  const procs: Driver['procs'] = { ...d.procs };
  for (const [name, p] of Object.entries(d.procs)) {
    procs[name] = guardProc(p, beat, first);
    first += Object.keys(p.steps).length;
  }
  return {
    ...d,
    init: guardFn('init()', d.init.bind(d)),
    pgmapOwner: guardFn('pgmapOwner()', d.pgmapOwner.bind(d)),
    ...(d.ranges ? { ranges: guardFn('ranges()', d.ranges.bind(d)) } : {}),
    ...(d.bos ? { bos: guardFn('bos()', d.bos.bind(d)) } : {}),
    ...(d.pageFree ? { pageFree: guardFn('pageFree()', d.pageFree.bind(d)) } : {}),
    procs,
  };
}
