// Breadth-first exploration of every transition from the initial state, up to a depth, at one
// scope: each new state is checked against every invariant (known states only against the
// invariants that read the step's events), a state with activities left and none runnable is a
// deadlock, and a step that throws is a kernel BUG. Breadth-first order makes the first violation
// found a shortest one. Deterministic: the same driver, scope and options give the same result.
import { canRun } from '../model/engine.js';
import type { Driver } from '../model/driver.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { Judge } from '../check/Judge.js';
import { stepFailure } from '../check/stepFailure.js';
import { livelock } from '../check/livelock.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import { Arena } from './Arena.js';
import { hash64, type Hash } from './hash64.js';
import type { Scope } from './scope.js';
import { StateCodec } from './StateCodec.js';
import { Transitions, type Applied, type Move } from './Transitions.js';
import { VisitedSet } from './VisitedSet.js';
import { FairCycles, OP_KEY, type FairCycle } from './FairCycles.js';
import { Ints } from './Ints.js';
import { ALL_REGIONS } from '../model/touched.js';
import type { Decoded } from './decodeState.js';
import { ACTS, EDGES, REST } from './segments.js';

export interface ExploreOptions {
  depth: number;
  /** Stop once this many distinct states are known (memory bound). */
  maxStates: number;
  /** Symmetry reduction over interchangeable CPU threads (GPU symmetry is off: see Transitions). */
  symmetry: boolean;
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

/** A state being expanded: where its words are, its path node, and which GPUs operations have named (bit g). */
interface Node {
  words: Int32Array;
  at: number;
  id: number;
  named: number;
}

export function explore(driver: Driver, scope: Scope, opts: ExploreOptions): ExploreResult {
  const t = new Transitions(driver, scope);
  // The executor's rules (check/Judge.ts). A state reached again passes the state-only invariants
  // as it did the first time: only the ones that read the step itself (events, re-initialised
  // pages) and lockdep run on every transition; the rest on states seen for the first time.
  const judge = new Judge(driver, opts.invariants);
  const initial = t.initial();
  const codec = new StateCodec(initial, t.primed);
  const h: Hash = { hi: 0, lo: 0 };
  /** The hash of the state being expanded, for a move that may lead back to it. */
  const ph: Hash = { hi: 0, lo: 0 };
  /** How many activities can run in the state being expanded. */
  let fromRunnable = 0;
  const visited = new VisitedSet();
  // Every move between expanded states, for the fair-cycle (livelock) check after the search.
  const graph = new FairCycles();
  const keyOf = (agent: number, op: number): number => (op >= 0 ? OP_KEY + op : agent);
  // A move with an injected failure is left out: a program's fault stream is finite, so a loop that
  // needs a failure on every turn is not one a run can stay in.
  // Nor does a loop start operations: a program has finitely many, so a run that stays in a loop
  // for ever has started its last one; fairness is then over the activities alone.
  const edge = (from: number, to: number, agent: number, op: number, faults: number[]): void => {
    if (op >= 0 || faults.some((f) => f !== 0)) return;
    graph.edge(from, to, keyOf(agent, op));
  };
  // Path records, one per distinct state: its parent and the move that reached it first.
  const parent = new Ints();
  const moveAgent = new Ints();
  const moveOp = new Ints();
  const moveFaults = new Map<number, number[]>();

  codec.encode(initial, 0, t.primed);
  codec.hash(h);
  visited.add(h.hi, h.lo);
  parent.push(-1);
  moveAgent.push(-1);
  moveOp.push(-1);

  let generated = 0;
  let capped = false;
  let violation: ExploreViolation | null = null;
  const levels = [1];
  let depthCompleted = 0;

  const pathTo = (id: number): Move[] => {
    const out: Move[] = [];
    for (let i = id; i > 0; i = parent.at(i))
      out.push({ agent: moveAgent.at(i), op: moveOp.at(i), faults: moveFaults.get(i) ?? [] });
    return out.reverse();
  };
  const fail = (from: Node, move: Move, problem: Problem): void => {
    violation = { problem, moves: [...pathTo(from.id), move] };
  };

  let next = new Arena();
  /**
   * A decoded copy of the state being expanded, and the segments moves have written in it since
   * it was decoded (0: it is a fresh copy): decoding those again makes it one.
   */
  let copy: Decoded = { s: initial, edges: new Map() };
  let dirty = 0;
  /** The activity the last move stepped in it. */
  let stepped: number | null = null;
  let frontierBytes = 0;
  let level = 0;
  /** New distinct states found at the level being expanded. */
  let found = 0;

  /** Handles one generated successor; returns false to stop. */
  const visit = (
    from: Node,
    agent: number,
    op: number,
    faults: number[],
    r: Applied,
    edges: Map<string, LockEdge>,
    known: number,
  ): boolean => {
    generated++;
    const n = level;
    const move = { agent, op, faults };
    if (r.thrown !== null) {
      const f = stepFailure(r.thrown.e, t.agentName(r.s, agent, op), n);
      // A path the model does not cover ends this branch, not the exploration.
      if (f.k === 'not-modelled') return true;
      fail(from, move, f.problem);
      return false;
    }
    const onStep = judge.transition(r.s, r.events, edges, known, n);
    if (onStep) {
      fail(from, move, onStep);
      return false;
    }
    // The encoded state is the one after the step's judgement.
    judge.settle(r.s);
    const g = op >= 0 && opts.symmetry ? (t.opGpu[op] as number) : -1;
    const named = g >= 0 ? from.named | (1 << g) : from.named;
    if (codec.sameAsParent(r.s, named, from.words, from.at, dirty, r.stepped)) {
      edge(from.id, from.id, agent, op, faults);
      return true;
    }
    // Only the segments this step wrote are encoded again: the others are the parent's words.
    codec.encode(r.s, named, edges, from.words, from.at, dirty, stepped);
    const w = codec.w;
    codec.hash(h);
    // A livelock the explorer can see from one state: the only runnable activity steps back to
    // the very state it started from, so it can repeat forever under any fair scheduler (nothing
    // else can run). Longer loops are the executor's LassoWatch's to find.
    if (op < 0 && fromRunnable === 1 && r.s.acts.some((a) => a.id === agent)) {
      hash64(from.words, from.at + StateCodec.HASHED_FROM, from.at + StateCodec.HASHED_TO, ph);
      if (ph.hi === h.hi && ph.lo === h.lo) {
        fail(from, move, livelock(r.s, n - 1, n));
        return false;
      }
    }
    if (!visited.add(h.hi, h.lo)) {
      edge(from.id, visited.lastId, agent, op, faults);
      return true;
    }
    // The parent passed these when it was new (the initial state was never checked): only the
    // ones that read what this step wrote can fail now.
    const bad = judge.newState(r.s, r.events, level === 0 ? ALL_REGIONS : r.written, n);
    if (bad) {
      fail(from, move, bad);
      return false;
    }
    if (r.s.acts.length > 0 && !r.s.acts.some((a) => canRun(r.s, a))) {
      fail(from, move, judge.deadlock(r.s, n + 1));
      return false;
    }
    // No activity left: a program ending here is checked for what a finished run must not leave.
    const left = r.s.acts.length === 0 ? judge.finished(r.s, n + 1) : null;
    if (left) {
      fail(from, move, left);
      return false;
    }
    const id = parent.n;
    edge(from.id, id, agent, op, faults);
    parent.push(from.id);
    moveAgent.push(agent);
    moveOp.push(op);
    if (faults.length > 0) moveFaults.set(id, faults);
    found++;
    // The last level is never expanded: its states are counted, not stored.
    if (level + 1 < opts.depth) next.append(w.buf, 0, w.n, id);
    if (visited.size >= opts.maxStates) {
      capped = true;
      return false;
    }
    return true;
  };

  /**
   * Every fault-stream choice for one move: entries past the prefix read 0, and each may instead
   * be any other fault value, up to scope.faultsPerStep injected failures per transition. A
   * prefix is empty or ends with an injected (non-zero) value.
   */
  const expand = (from: Node, agent: number, op: number, prefix: number[], injected: number): boolean => {
    // Decoding only what the last move wrote gives a fresh copy of the state, faster than copying objects.
    if (dirty !== 0) copy = codec.decode(from.words, from.at, copy, dirty, stepped);
    const d = copy;
    const known = d.edges.size;
    const r = t.apply(d.s, d.edges, agent, op, prefix, level);
    dirty = r.written | (d.edges.size !== known ? EDGES : 0) | ACTS | REST;
    stepped = r.stepped;
    if (!visit(from, agent, op, prefix, r, d.edges, known)) return false;
    if (injected >= scope.faultsPerStep) return true;
    for (let j = prefix.length; j < r.consumed; j++)
      for (const v of t.alternatives(r.masks[j] ?? -1)) {
        const alt = prefix.slice();
        while (alt.length < j) alt.push(0);
        alt.push(v);
        if (!expand(from, agent, op, alt, injected + 1)) return false;
      }
    return true;
  };

  let frontier = new Arena();
  // The chunks of the level expanded last, for the level after next to fill.
  let spareChunks: Int32Array[] = [];
  codec.encode(initial, 0, t.primed);
  frontier.append(codec.w.buf, 0, codec.w.n, 0);
  for (level = 0; level < opts.depth; level++) {
    if (frontier.count === 0) {
      // Every reachable state has been expanded: nothing deeper is new.
      depthCompleted = opts.depth;
      break;
    }
    next = new Arena(spareChunks);
    found = 0;
    let go = true;
    for (let i = 0; i < frontier.count && go; i++) {
      const at = frontier.start(i);
      const words = frontier.words(i);
      const node: Node = {
        words,
        at,
        id: frontier.node(i),
        named: StateCodec.extraOf(words, at),
      };
      const d = codec.decode(node.words, at);
      const runnable = t.runnable(d.s);
      fromRunnable = runnable.length;
      const startable = t.startable(d.s, node.named, opts.symmetry);
      graph.enabled(node.id, runnable, t.waitingForCpu(d.s));
      // The state decoded to list the moves serves as the first move's copy.
      copy = d;
      dirty = 0;
      for (const id of runnable) if (!(go = expand(node, id, -1, [], 0))) break;
      if (go) for (const op of startable) if (!(go = expand(node, t.agentOfOp(op), op, [], 0))) break;
    }
    levels.push(found);
    frontierBytes = Math.max(frontierBytes, next.bytes);
    if (!go) break;
    depthCompleted = level + 1;
    spareChunks = frontier.release();
    frontier = next;
  }

  // Liveness under weak fairness, once the states to the depth are known (TLC's WF check).
  if (!violation && !capped) {
    const cycle = graph.find();
    if (cycle) violation = fairLoop(t, cycle, pathTo(cycle.root), graph);
  }

  return {
    driver: driver.name,
    scope: scope.name,
    depth: opts.depth,
    symmetry: opts.symmetry,
    depthCompleted,
    generated,
    distinct: visited.size,
    levels,
    capped,
    violation,
    bookkeepingBytes: visited.bytes + 12 * parent.a.length,
    frontierBytes,
  };
}

/**
 * The livelock a fair cycle is: the stem to its first state, then its closed walk, which the
 * executor's LassoWatch finds again when the counterexample is replayed.
 */
function fairLoop(t: Transitions, cycle: FairCycle, stem: Move[], graph: FairCycles): ExploreViolation {
  const loop: Move[] = cycle.loop.map((e) => {
    const key = graph.edgeKey(e);
    const op = key >= OP_KEY ? key - OP_KEY : -1;
    return { agent: op >= 0 ? t.agentOfOp(op) : key, op, faults: [] };
  });
  // The state the loop comes back to, for the finding's wording (waits, CPUs).
  const s = t.initial();
  const edges = new Map(t.primed);
  stem.forEach((m, n) => t.apply(s, edges, m.agent, m.op, m.faults, n));
  return { problem: livelock(s, stem.length - 1, stem.length + loop.length - 1), moves: [...stem, ...loop] };
}
