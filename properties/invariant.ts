// What an invariant is and what a violation looks like. Problems are data; formatters render them.
import type { InvariantClass } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { State } from '../model/types.js';

export interface Problem {
  code: 'invariant-violated';
  invariant: string;
  cls: InvariantClass;
  /** Scheduler step after which the check failed (filled in by the executor). */
  step: number;
  expected: string;
  actual: string;
  /** One line, in kernel terms. */
  message: string;
}

export type Finding = Pick<Problem, 'expected' | 'actual' | 'message'>;

export interface Invariant {
  id: string;
  cls: InvariantClass;
  /** One sentence: what holds in every reachable state. */
  meaning: string;
  /**
   * The check reads the state only, never the step's events: a state that passed once passes every
   * time it is reached again (the explorer re-checks only the other invariants on known states).
   */
  stateOnly?: boolean;
  /** Checks the state after a step (and the events that step emitted); null when it holds. */
  check(s: State, events: readonly Event[]): Finding | null;
}

export function problem(inv: Pick<Invariant, 'id' | 'cls'>, f: Finding, step: number): Problem {
  return { code: 'invariant-violated', invariant: inv.id, cls: inv.cls, step, ...f };
}
