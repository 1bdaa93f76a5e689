// Breadth-first exploration of every transition from the initial state, up to a depth, at one
// scope: each new state is checked against every invariant (known states only against the
// invariants that read the step's events), a state with activities left and none runnable is a
// deadlock, and a step that throws is a kernel BUG. Breadth-first order makes the first violation
// found a shortest one. Deterministic: the same driver, scope and options give the same result.
import type { Driver } from '../model/driver.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import { Arena } from './Arena.js';
import { Expander } from './Expander.js';
import type { Hash } from './hash64.js';
import type { Scope } from './scope.js';
import { Search } from './Search.js';
import type { Move } from './Transitions.js';

export interface ExploreOptions {
  depth: number;
  /** Stop once this many distinct states are known (memory bound). */
  maxStates: number;
  /** Symmetry reduction over interchangeable CPU threads (GPU symmetry is off: see Transitions). */
  symmetry: boolean;
  /** Partial-order reduction (explore/localStep.ts, Expander.ts): a local step, where one exists, is taken alone. */
  reduce?: boolean;
  /**
   * Canonical activity ids (explore/ActivityIds.ts): states that differ only in which id an
   * activity got are one state. Default true; false keeps ids as spawned (the explorer before).
   */
  canonicalIds?: boolean;
  invariants?: readonly Invariant[];
}

export interface ExploreViolation {
  problem: Problem;
  /** The transitions from the initial state to the violation. */
  moves: Move[];
}

export interface ExploreResult {
  driver: string;
  scope: string;
  depth: number;
  symmetry: boolean;
  /** Partial-order reduction was on. */
  reduce: boolean;
  /** Activity ids were renamed into canonical ones (explore/ActivityIds.ts). */
  canonicalIds: boolean;
  /** States expanded through one local step alone instead of every move (0 without reduction). */
  ampleStates: number;
  /** Depth up to which every reachable state was generated and checked. */
  depthCompleted: number;
  /** Transitions executed (successor states generated, duplicates included). */
  generated: number;
  distinct: number;
  /** New distinct states per depth, depth 0 (the initial state) first. */
  levels: number[];
  /** The --max-states cap stopped the exploration. */
  capped: boolean;
  violation: ExploreViolation | null;
  /** Memory of the visited set and the path records, in bytes. */
  bookkeepingBytes: number;
  /** Largest frontier (one depth's new states, encoded, for the next depth to expand), in bytes. */
  frontierBytes: number;
}

export function explore(driver: Driver, scope: Scope, opts: ExploreOptions): ExploreResult {
  const x = new Expander(driver, scope, opts);
  const h: Hash = { hi: 0, lo: 0 };
  const initial = x.initial(h);
  let frontier = new Arena();
  frontier.append(initial, 0, initial.length, 0);
  const search = new Search(x.t, opts, { driver: driver.name, scope: scope.name }, h);
  // The chunks of the level expanded last, for the level after next to fill.
  let spareChunks: Int32Array[] = [];
  for (let level = 0; level < opts.depth; level++) {
    if (frontier.count === 0) {
      // Every reachable state has been expanded: nothing deeper is new.
      search.exhausted();
      break;
    }
    search.beginLevel(level, spareChunks);
    let go = true;
    for (let i = 0; i < frontier.count && go; i++)
      go = x.expand(frontier.words(i), frontier.start(i), frontier.node(i), level, search);
    search.endLevel(go);
    if (!go) break;
    spareChunks = frontier.release();
    frontier = search.next;
  }
  return search.result();
}
