// What a breadth-first exploration has seen, kept by one thread: the visited set, one path record
// per distinct state, the graph of moves for the fair-cycle check, the counts per depth and the
// next level's frontier. It takes the successors an Expander generates, in the search's order (in
// process directly, from worker threads through their records), so the result is the same however
// the levels were expanded.
import { livelock } from '../check/livelock.js';
import type { Problem } from '../properties/invariant.js';
import { Arena } from './Arena.js';
import type { ExpandSink } from './Expander.js';
import type { ExploreResult, ExploreViolation } from './explore.js';
import { FairCycles, OP_KEY, type FairCycle } from './FairCycles.js';
import type { Hash } from './hash64.js';
import { Ints } from './Ints.js';
import type { Move, Transitions } from './Transitions.js';
import { VisitedSet } from './VisitedSet.js';
import { realPath } from './realPath.js';
import { StateCodec } from './StateCodec.js';
import type { State } from '../model/types.js';

export interface SearchLimits {
  depth: number;
  maxStates: number;
  symmetry: boolean;
  reduce?: boolean;
  /** The expanded states' activity ids are canonical (explore/ActivityIds.ts); default true. */
  canonicalIds?: boolean;
}

export class Search implements ExpandSink {
  private readonly visited = new VisitedSet();
  // Every move between expanded states, for the fair-cycle (livelock) check after the search.
  private readonly graph = new FairCycles();
  // Path records, one per distinct state: its parent and the move that reached it first.
  private readonly parent = new Ints();
  private readonly moveAgent = new Ints();
  private readonly moveOp = new Ints();
  private readonly moveFaults = new Map<number, number[]>();
  private generated = 0;
  private capped = false;
  private violation: ExploreViolation | null = null;
  private readonly levels = [1];
  private depthCompleted = 0;
  /** States expanded through one local step alone (partial-order reduction). */
  private ampleStates = 0;
  /** How many states were known when the level being expanded began (their ids are below it). */
  private levelStart = 1;
  private frontierBytes = 0;
  /** The level being expanded, and the new distinct states found at it. */
  private level = 0;
  private found = 0;
  /** The move of the last reached() that found a new state. */
  private pending: { from: number; move: Move } | null = null;
  /** The states found at this level, for the next one to expand. */
  next = new Arena();
  /** The hashes (hi, lo) of the states found at this level, for worker threads to add to theirs. */
  readonly fresh64 = new Ints();

  constructor(
    private readonly t: Transitions,
    private readonly limits: SearchLimits,
    private readonly names: { driver: string; scope: string },
    initial: Hash,
  ) {
    this.visited.add(initial.hi, initial.lo);
    this.parent.push(-1);
    this.moveAgent.push(-1);
    this.moveOp.push(-1);
  }

  /**
   * Starts expanding level `level`; `spare`: chunks a finished level gave back; `shared`: the next
   * frontier's new chunks are shared memory, for worker threads to read in place.
   */
  beginLevel(level: number, spare: Int32Array[], shared = false): void {
    this.level = level;
    this.levelStart = this.visited.size;
    this.found = 0;
    this.next = new Arena(spare, shared);
    this.fresh64.n = 0;
  }

  /** The level is done (go: every state of it expanded, nothing stopped the search). */
  endLevel(go: boolean): void {
    this.levels.push(this.found);
    this.frontierBytes = Math.max(this.frontierBytes, this.next.bytes);
    if (go) this.depthCompleted = this.level + 1;
  }

  /** The frontier ran dry before the depth: every reachable state is known. */
  exhausted(): void {
    this.depthCompleted = this.limits.depth;
  }

  enabled(node: number, runnable: readonly number[], noCpu: readonly number[], ample: boolean): void {
    this.graph.enabled(node, runnable, noCpu);
    if (ample) this.ampleStates++;
  }

  seenBefore(h: Hash): boolean {
    const id = this.visited.idOf(h.hi, h.lo);
    return id >= 0 && id < this.levelStart;
  }

  notModelled(): void {
    this.generated++;
  }

  failed(from: number, move: Move, problem: Problem): boolean {
    this.generated++;
    this.fail(from, move, problem);
    return false;
  }

  self(from: number, move: Move): void {
    this.generated++;
    this.edge(from, from, move);
  }

  reached(from: number, move: Move, h: Hash): boolean {
    this.generated++;
    if (!this.visited.add(h.hi, h.lo)) {
      this.edge(from, this.visited.lastId, move);
      return false;
    }
    this.fresh64.push(h.hi);
    this.fresh64.push(h.lo);
    this.pending = { from, move };
    return true;
  }

  fresh(words: Int32Array, n: number): boolean {
    const { from, move } = this.pending as { from: number; move: Move };
    const id = this.parent.n;
    this.edge(from, id, move);
    this.parent.push(from);
    this.moveAgent.push(move.agent);
    this.moveOp.push(move.op);
    if (move.faults.length > 0) this.moveFaults.set(id, move.faults.slice());
    this.found++;
    // The last level is never expanded: its states are counted, not stored.
    if (this.level + 1 < this.limits.depth) this.next.append(words, 0, n, id);
    if (this.visited.size >= this.limits.maxStates) {
      this.capped = true;
      return false;
    }
    return true;
  }

  freshFailed(problem: Problem): boolean {
    const { from, move } = this.pending as { from: number; move: Move };
    this.fail(from, move, problem);
    return false;
  }

  /** Whether the state with this hash is known. */
  has(hi: number, lo: number): boolean {
    return this.visited.has(hi, lo);
  }

  result(): ExploreResult {
    // Liveness under weak fairness, once the states to the depth are known (TLC's WF check).
    const canonical = this.limits.canonicalIds !== false;
    if (!this.violation && !this.capped) {
      // With canonical ids a cycle of states is confirmed on real ones (explore/ActivityIds.ts).
      const cycle = this.graph.find(
        canonical
          ? (c) => realCycle(this.t, this.pathTo(c.root), loopMoves(this.t, c, this.graph))
          : undefined,
      );
      if (cycle) this.violation = fairLoop(this.t, cycle, this.pathTo(cycle.root), this.graph, canonical);
    } else if (this.violation && canonical)
      this.violation = { ...this.violation, moves: realPath(this.t, this.violation.moves) };
    return {
      driver: this.names.driver,
      scope: this.names.scope,
      depth: this.limits.depth,
      symmetry: this.limits.symmetry,
      reduce: this.limits.reduce === true,
      canonicalIds: canonical,
      ampleStates: this.ampleStates,
      depthCompleted: this.depthCompleted,
      generated: this.generated,
      distinct: this.visited.size,
      levels: this.levels,
      capped: this.capped,
      violation: this.violation,
      bookkeepingBytes: this.visited.bytes + 12 * this.parent.a.length,
      frontierBytes: this.frontierBytes,
    };
  }

  // A move with an injected failure is left out: a program's fault stream is finite, so a loop that
  // needs a failure on every turn is not one a run can stay in.
  // Nor does a loop start operations: a program has finitely many, so a run that stays in a loop
  // for ever has started its last one; fairness is then over the activities alone.
  private edge(from: number, to: number, move: Move): void {
    if (move.op >= 0 || move.faults.some((f) => f !== 0)) return;
    this.graph.edge(from, to, move.agent);
  }

  private fail(from: number, move: Move, problem: Problem): void {
    this.violation = {
      problem,
      moves: [...this.pathTo(from), { agent: move.agent, op: move.op, faults: move.faults.slice() }],
    };
  }

  private pathTo(id: number): Move[] {
    const out: Move[] = [];
    for (let i = id; i > 0; i = this.parent.at(i))
      out.push({ agent: this.moveAgent.at(i), op: this.moveOp.at(i), faults: this.moveFaults.get(i) ?? [] });
    return out.reverse();
  }
}

/**
 * The livelock a fair cycle is: the stem to its first state, then its closed walk, which the
 * executor's LassoWatch finds again when the counterexample is replayed.
 */
function fairLoop(
  t: Transitions,
  cycle: FairCycle,
  stem: Move[],
  graph: FairCycles,
  canonical: boolean,
): ExploreViolation {
  const loop = loopMoves(t, cycle, graph);
  if (canonical) {
    // The state the loop comes back to, for the finding's wording (waits, CPUs).
    let at: State | null = null;
    const moves = realPath(t, [...stem, ...loop], (s, _e, n) => {
      if (n === stem.length) at = structuredClone(s);
    });
    return {
      problem: livelock(at as unknown as State, stem.length - 1, stem.length + loop.length - 1),
      moves,
    };
  }
  const s = t.initial();
  const edges = new Map(t.primed);
  stem.forEach((m, n) => t.apply(s, edges, m.agent, m.op, m.faults, n));
  return { problem: livelock(s, stem.length - 1, stem.length + loop.length - 1), moves: [...stem, ...loop] };
}

/** The moves of a fair cycle's loop (activity ids as its states name them). */
function loopMoves(t: Transitions, cycle: FairCycle, graph: FairCycles): Move[] {
  return cycle.loop.map((e) => {
    const key = graph.edgeKey(e);
    const op = key >= OP_KEY ? key - OP_KEY : -1;
    return { agent: op >= 0 ? t.agentOfOp(op) : key, op, faults: [] };
  });
}

/**
 * Whether a cycle of canonical states is a cycle of real ones: after the stem and again after the
 * loop, the real state is the same to the executor's LassoWatch (the state codec without renaming).
 * It is not when work finished in the loop and a look-alike was spawned in its place: the real run
 * then goes on with new ids and never comes back, as the explorer without renaming sees it.
 */
function realCycle(t: Transitions, stem: readonly Move[], loop: readonly Move[]): boolean {
  const codec = new StateCodec(t.initial(), t.primed);
  let first: Int32Array | null = null;
  let same = false;
  realPath(t, [...stem, ...loop], (s, edges, n) => {
    if (n !== stem.length && n !== stem.length + loop.length) return;
    codec.encode(s, 0, edges);
    const words = codec.w.buf.slice(StateCodec.HASHED_FROM, codec.w.n);
    if (!first) first = words;
    else same = first.length === words.length && first.every((w, i) => w === words[i]);
  });
  return same;
}
