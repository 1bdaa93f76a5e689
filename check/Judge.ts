// The rules applied after a model step, written once for both search strategies: the program
// executor (check/execute.ts, one run at a time) and the explorer (explore/explore.ts, every
// transition of a scope). The strategies differ only in which states they see and in what they
// already know about them (the explorer checks a state reached again only against the invariants
// that read the step itself); the verdicts, their order and their wording are the judge's, so a
// counterexample found by one is diagnosed alike when the other replays it. TLC's split between
// ITool (what the specification means) and its model checkers (how they search) is the model.
//
// The order a step is judged in (the diagnosis reported is the first that fails):
//   1. the step invariants (not `final`), in catalog order;
//   2. lockdep: a lock-class dependency the step recorded that closes a cycle;
// and, where the search decides a state has no successor:
//   3. deadlock: activities are left and none can run (the wait-for cycle as witness);
//   4. the `final` invariants, on a state with nothing left to run.
// Exceptions out of a step are classified by check/stepFailure.ts; liveness (lassos, fair cycles)
// by check/livelock.ts from what each strategy observes.
import type { Driver } from '../model/driver.js';
import type { Event } from '../model/events.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { State } from '../model/types.js';
import { findWaitCycle, waitLinks } from '../model/waitFor.js';
import { INVARIANTS } from '../properties/catalog.js';
import { problem, type Invariant, type Problem } from '../properties/invariant.js';
import { firstBroken, type FirstBroken } from './firstBroken.js';
import type { LockOrder } from './LockOrder.js';
import { potentialDeadlock } from './potentialDeadlock.js';
import { runFailure } from './runFailure.js';

export class Judge {
  /** The invariants checked after every step, in catalog order. */
  readonly stepInvariants: readonly Invariant[];
  /** The invariants checked on a state a program may end in (nothing left to run). */
  readonly finalInvariants: readonly Invariant[];
  // The compiled passes, made on first use: a run uses everyStep, an exploration the other two.
  private everyStepPass: FirstBroken | null = null;
  private transitionPass: FirstBroken | null = null;
  private statePass: FirstBroken | null = null;

  constructor(
    private readonly driver: Driver,
    invariants: readonly Invariant[] = INVARIANTS,
  ) {
    this.stepInvariants = stepListOf(invariants);
    this.finalInvariants = finalListOf(invariants);
  }

  private get everyStep(): FirstBroken {
    return (this.everyStepPass ??= firstBroken(this.stepInvariants, this.driver));
  }
  private get transitionOnly(): FirstBroken {
    return (this.transitionPass ??= firstBroken(transitionListOf(this.stepInvariants), this.driver));
  }
  private get stateOnly(): FirstBroken {
    return (this.statePass ??= firstBroken(stateListOf(this.stepInvariants), this.driver));
  }

  /**
   * Rule 1 on a step whose predecessor passed: the first step invariant broken, or null.
   * `written`: the regions the step wrote (model/touched.ts); ALL_REGIONS for a state never judged.
   */
  step(s: State, events: readonly Event[], written: number, n: number): Problem | null {
    const b = this.everyStep(s, events, this.driver, written);
    return b ? problem(b.invariant, b.finding, n) : null;
  }

  /**
   * Rules 1 and 2 for a step into a state that may have been judged before (the explorer): only the
   * invariants that read the step itself (`transition`) and lockdep can fail on a known state, but
   * when one does, a state invariant listed earlier that also fails is the diagnosis, as in step().
   */
  transition(
    s: State,
    events: readonly Event[],
    edges: ReadonlyMap<string, LockEdge>,
    known: number,
    n: number,
  ): Problem | null {
    const b = this.transitionOnly(s, events, this.driver);
    const broken = b ? problem(b.invariant, b.finding, n) : potentialDeadlock(edges, known, n);
    if (!broken) return null;
    const upTo = b ? this.stepInvariants.indexOf(b.invariant) : this.stepInvariants.length;
    for (let k = 0; k < upTo; k++) {
      const inv = this.stepInvariants[k] as Invariant;
      if (inv.transition === true) continue;
      const f = inv.check(s, events, this.driver);
      if (f) return problem(inv, f, n);
    }
    return broken;
  }

  /**
   * The rest of rule 1 on a state seen for the first time after transition() passed it: the state
   * invariants that read what the step wrote (its predecessor passed them all).
   */
  newState(s: State, events: readonly Event[], written: number, n: number): Problem | null {
    const b = this.stateOnly(s, events, this.driver, written);
    return b ? problem(b.invariant, b.finding, n) : null;
  }

  /**
   * Rule 2 after step(): the first dependency recorded since `known` that closes a cycle of lock
   * classes. `order`, when given, is the run's incremental reachability (check/LockOrder.ts): it
   * rules out most steps with one bit test before the exact search.
   */
  lockdep(edges: ReadonlyMap<string, LockEdge>, known: number, n: number, order?: LockOrder): Problem | null {
    if (edges.size <= known) return null;
    if (order && !order.mayCloseCycle(edges)) return null;
    return potentialDeadlock(edges, known, n);
  }

  /**
   * Clears what only the step's own judgement may read (the pages the step re-initialised, which
   * device-page-reinit checks): the state carried on is the one after the step.
   */
  settle(s: State): void {
    // Only when there is something to clear: setting an array's length is a runtime call.
    if (s.reinitialised.length > 0) s.reinitialised.length = 0;
  }

  /** Rule 3: activities are left and none can run; the wait-for cycle when there is one. */
  deadlock(s: State, n: number): Problem {
    const blocked = waitLinks(s);
    const cycle = findWaitCycle(blocked);
    return {
      kind: 'deadlock',
      ...runFailure('no-deadlock', n),
      witness: { k: 'wait-for', cycle: cycle ?? [], blocked },
    };
  }

  /** Rule 4: what a finished program must not leave (nothing leaked, ...), or null. */
  finished(s: State, n: number): Problem | null {
    for (const inv of this.finalInvariants) {
      const f = inv.check(s, [], this.driver);
      if (f) return problem(inv, f, n);
    }
    return null;
  }
}

// The filtered lists are built once per invariant list: firstBroken() compiles its pass per list
// (by identity), so a new array per run would compile again.
const memo = (pick: (i: Invariant) => boolean) => {
  const lists = new WeakMap<readonly Invariant[], readonly Invariant[]>();
  return (all: readonly Invariant[]): readonly Invariant[] => {
    let l = lists.get(all);
    if (!l) lists.set(all, (l = all.filter(pick)));
    return l;
  };
};
const stepListOf = memo((i) => !i.final);
const finalListOf = memo((i) => i.final === true);
const transitionListOf = memo((i) => i.transition === true);
const stateListOf = memo((i) => i.transition !== true);
