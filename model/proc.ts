// Procedures are explicit state machines: a procedure is a table of labelled steps, and a running
// call is a frame {fn, pc, locals}. Keeping control state as data (instead of closures or
// generators) is what lets the explorer clone, hash and compare states.
import type { Activity, State, Wait } from './types.js';
import type { Driver } from './driver.js';
import type { Event } from './events.js';
import type { LockEdge } from './lockdep/lockEdge.js';

export type StepResult =
  /** Continue at pc within the same atomic step. */
  | { k: 'goto'; pc: string }
  /**
   * Preemption point: another activity may run before this one resumes at pc. `spin` marks a retry
   * loop (fault retried, -EBUSY): a fair scheduler lets other work run first.
   */
  | {
      k: 'yield';
      pc: string;
      spin?: boolean;
      /** The retry passes a scheduling point on every preemption model (model/cpus.ts): return to user space, the next work item. */
      resched?: boolean;
      /** A busy loop with no scheduling point at all (cpu_relax()): only PREEMPT_FULL takes the CPU away. */
      busy?: boolean;
    }
  /** Call another procedure (it starts in the same atomic step); resume at pc with its return value. */
  | { k: 'call'; fn: string; args: Record<string, unknown>; pc: string }
  | { k: 'ret'; v: unknown }
  /** Cannot proceed: the same pc runs again once the wait is satisfied. Nothing may be changed before blocking. */
  | { k: 'block'; wait: Wait };

export type Handler<L> = (env: Env, l: L, r: unknown) => StepResult;

export interface Proc {
  name: string;
  steps: Record<string, Handler<Record<string, unknown>>>;
}

export function defineProc<L>(name: string, steps: Record<string, Handler<L>>): Proc {
  if (!('start' in steps)) throw new Error(`defineProc(${name}): a procedure needs a 'start' step`);
  return { name, steps: steps as unknown as Record<string, Handler<Record<string, unknown>>> };
}

/** Everything a step can touch: the state, the run's observation channels and the procedure table. */
export interface Env {
  s: State;
  act: Activity;
  /** Events emitted by the current scheduler step. */
  events: Event[];
  /** Counters for statistics ("partial migration happened", ...); a Map, as an object with many dynamic keys was a hot spot. */
  stats: Map<string, number>;
  /** The fault-injection stream of the program. */
  faults: readonly number[];
  /** When set, every read of the fault stream appends the bits of the entry that were looked at (the explorer branches on those only). */
  faultReads?: number[];
  procs: ReadonlyMap<string, Proc>;
  /** The driver under test (for its optional introspection, e.g. ranges()). */
  drv: Driver;
  /** Lock-order edges between lock classes, "A -> B" keys with their first witness (lockdep). */
  lockEdges: Map<string, LockEdge>;
  step: number;
}

export const goto = (pc: string): StepResult => ({ k: 'goto', pc });
export const yieldTo = (pc: string): StepResult => ({ k: 'yield', pc });
export const spinTo = (pc: string): StepResult => ({ k: 'yield', pc, spin: true });
/** A retry that goes through schedule() whatever the preemption model (a fault retried from user space). */
export const reschedTo = (pc: string): StepResult => ({ k: 'yield', pc, spin: true, resched: true });
/** A busy-wait iteration: keeps the CPU unless the kernel is fully preemptible. */
export const busyTo = (pc: string): StepResult => ({ k: 'yield', pc, spin: true, busy: true });
export const ret = (v: unknown = 0): StepResult => ({ k: 'ret', v });
export const block = (wait: Wait): StepResult => ({ k: 'block', wait });
export const call = (fn: string, args: Record<string, unknown>, pc: string): StepResult => ({
  k: 'call',
  fn,
  args,
  pc,
});

export function count(env: Env, key: string, n = 1): void {
  env.stats.set(key, (env.stats.get(key) ?? 0) + n);
}

export function emit(env: Env, e: Event): void {
  env.events.push(e);
}

/** Adds to a named counter (deleting it at zero, so equal states compare equal). */
export function bumpCounter(s: State, key: string, by: number): number {
  const v = (s.counters[key] ?? 0) + by;
  if (v === 0) delete s.counters[key];
  else s.counters[key] = v;
  return v;
}

export const bump = (env: Env, key: string, by: number): number => bumpCounter(env.s, key, by);
