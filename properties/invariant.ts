// What an invariant is and what a violation looks like. Problems are data; formatters render them.
import type { Driver, InvariantClass } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { State } from '../model/types.js';
import type { Witness } from '../model/witness.js';
import type { Region } from '../model/touched.js';
import type { EventKind } from '../model/eventKinds.js';

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
  /** Structured evidence (a wait-for or lock-order cycle, a fence's wait chain), when there is one. */
  witness?: Witness;
}

export type Finding = Pick<Problem, 'expected' | 'actual' | 'message' | 'witness'>;

export interface Invariant {
  id: string;
  cls: InvariantClass;
  /** One sentence: what holds in every reachable state. */
  meaning: string;
  /** Checked once, on the state a finished run ends in (e.g. nothing leaked), not after every step. */
  final?: boolean;
  /**
   * Reads what the step did (its events, or the pages it re-initialised), not only the state it
   * left: the explorer checks these on every transition, the others once per distinct state.
   */
  transition?: boolean;
  /**
   * The only state regions check() reads (model/touched.ts), when it reads no events: a step that
   * wrote none of them leaves the verdict as it was after the last step, so the executor skips the
   * check. Absent: checked after every step. test/touched.test.ts holds the declaration to what
   * check() reads.
   */
  reads?: readonly Region[];
  /**
   * The only event kinds check() reads, for a check that fails only on some event of the step:
   * after a step that emitted none of them the executor and the explorer skip it.
   * test/touched.test.ts holds the declaration to what check() reads.
   */
  events?: readonly EventKind[];
  /**
   * Checks the state after a step (and the events that step emitted); null when it holds. The driver
   * is passed for invariants over its own bookkeeping (e.g. svm_range structure).
   */
  check(s: State, events: readonly Event[], driver: Driver): Finding | null;
}

export function problem(inv: Pick<Invariant, 'id' | 'cls'>, f: Finding, step: number): Problem {
  return { code: 'invariant-violated', invariant: inv.id, cls: inv.cls, step, ...f };
}
