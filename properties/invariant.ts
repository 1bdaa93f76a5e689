// What an invariant is and what a violation looks like. Problems are data (a finding: code, place,
// values); report/ words them (report/problemWords.ts).
import type { Driver, InvariantClass } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { State } from '../model/types.js';
import type { Witness } from '../model/witness.js';
import type { WaitLink } from '../model/waitFor.js';
import type { PreemptModel } from '../model/cpus.js';
import type { Region, UnmarkedRead } from '../model/touched.js';
import type { EventKind } from '../model/eventKinds.js';
import type { FindingOf, Words } from '../model/finding.js';
import type { KernelFailure } from '../model/kernelFailure.js';

export type { At, FindingOf, Words } from '../model/finding.js';

/** What every problem says, whatever its kind. */
export interface ProblemHead {
  code: 'invariant-violated';
  /** The named property broken (an invariant's id, or a run failure's: properties/catalog.ts). */
  invariant: string;
  cls: InvariantClass;
  /** Scheduler step after which the check failed (filled in by the executor). */
  step: number;
}

/**
 * What an invariant's check returns when it fails: a finding of one of its codes, with data
 * (report/findingWords/ words it). A user's own invariant module may instead give its words
 * (`{expected, actual, message}`, the public API's form); svmcheck's own properties never do
 * (test/findingsAreData.test.ts).
 */
export type Finding = (FindingOf<string, unknown> | Words) & { witness?: Witness };

type WitnessOf<K extends Witness['k']> = Extract<Witness, { k: K }>;

/**
 * A finding that becomes a counterexample, as a closed union by kind, each with the evidence it
 * carries (a new kind breaks compilation wherever problems are matched exhaustively). What is not
 * a finding is not a Problem: a path the model does not cover ends a run as unknown
 * (check/stepFailure.ts NotModelled), a driver's or svmcheck's own exception is a crash (ToolError),
 * a run out of steps without a loop is undecided.
 */
export type Problem =
  /** A named invariant of properties/ broken by the state after a step (or at the end of a run). */
  | (ProblemHead & { kind: 'invariant'; finding: Finding; witness?: Witness })
  /**
   * A BUG()/WARN() the kernel would hit, tied to the named invariant it protects (a kref underflow,
   * ...); `who` is the agent whose step hit it.
   */
  | (ProblemHead & { kind: 'kernel-bug'; finding: KernelFailure; who: string; witness?: never })
  /** An oops or a hung task the kernel would report, with no invariant of its own. */
  | (ProblemHead & {
      kind: 'kernel-oops';
      hang: boolean;
      finding: KernelFailure;
      who: string;
      witness?: never;
    })
  /** Activities are left and none can run: the wait-for cycle (report/runFailureWords.ts words it). */
  | (ProblemHead & { kind: 'deadlock'; witness: WitnessOf<'wait-for'> })
  /** lockdep: a lock-class dependency that closes a cycle (possible deadlock), the added edge first. */
  | (ProblemHead & { kind: 'potential-deadlock'; witness: WitnessOf<'lock-order'> })
  /** A fair loop with work pending that never completes; `waits`: who waits for what at its end. */
  | (ProblemHead & { kind: 'livelock'; witness: WitnessOf<'lasso'>; waits: WaitLink[] })
  /**
   * A fair loop in which runnable work never gets a CPU (soft lockup): the CPUs in the cycle, under
   * the preemption model and CPU count in force.
   */
  | (ProblemHead & {
      kind: 'lockup';
      witness: WitnessOf<'lasso'> & { cpus: WaitLink[] };
      preempt: PreemptModel;
      cpus: number;
    });

export type ProblemKind = Problem['kind'];

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
   * What check() reads outside the write-marked regions (model/touched.ts UnmarkedRead: the lock
   * table, counters, activities and their fields, ...), with `reads` for the regions it reads: no
   * write mark covers these, so such an invariant is checked after every step, and the two lists
   * together are its whole footprint. test/touched.test.ts holds the declaration to what check()
   * reads.
   */
  readsUnmarked?: readonly UnmarkedRead[];
  /**
   * The procedures whose frames (their pc, locals or return value) check() looks into, in any
   * activity: a step that changes only its own activity's frames of other procedures is invisible
   * to it (explore/localStep.ts). test/touched.test.ts holds the declaration to what check() reads.
   */
  readsFrames?: readonly string[];
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

/** The problem an invariant's finding is, at scheduler step `step`. */
export function problem(inv: Pick<Invariant, 'id' | 'cls'>, f: Finding, step: number): Problem {
  const { witness, ...finding } = f;
  return {
    code: 'invariant-violated',
    kind: 'invariant',
    invariant: inv.id,
    cls: inv.cls,
    step,
    finding,
    ...(witness ? { witness } : {}),
  };
}
