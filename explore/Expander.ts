// The explorer's successor generation, the part of a breadth-first level that one thread does: from
// an encoded state, every move (each runnable activity's step, each startable operation, each
// fault-stream choice) is applied to a decoded copy, judged as the executor judges a step
// (check/Judge.ts), encoded and hashed, and handed to a sink in the one fixed order of the search.
// The sink owns what the search has seen: in process it is the search itself (explore.ts); on a
// worker thread it records the outcomes for the main thread to take in that order.
import { canRun } from '../model/engine.js';
import type { Driver } from '../model/driver.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { ALL_REGIONS } from '../model/touched.js';
import { Judge } from '../check/Judge.js';
import { stepFailure } from '../check/stepFailure.js';
import { livelock } from '../check/livelock.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import type { Decoded } from './decodeState.js';
import { hash64, type Hash } from './hash64.js';
import type { Scope } from './scope.js';
import { ACTS, ALL_SEGMENTS, EDGES, REST } from './segments.js';
import { ActivityIds } from './ActivityIds.js';
import { StateCodec } from './StateCodec.js';
import { Transitions, type Applied, type Move } from './Transitions.js';
import { actBefore, isLocalStep, localStepRules, type LocalStepRules } from './localStep.js';

/** What becomes of each generated successor, in the search's order. */
export interface ExpandSink {
  /**
   * State `node` is expanded: the activities that can run in it, those waiting for a CPU, and
   * whether only one local step of them is taken (partial-order reduction, explore/localStep.ts).
   */
  enabled(node: number, runnable: readonly number[], noCpu: readonly number[], ample: boolean): void;
  /** Whether the state with this hash was known before the level being expanded began (its depth is at most this level's). */
  seenBefore(h: Hash): boolean;
  /** A step into a path the model does not cover: counted, and the branch ends. */
  notModelled(): void;
  /** A move that breaks a rule whatever state it reaches (a throw, a step invariant, lockdep, a one-state livelock). */
  failed(from: number, move: Move, problem: Problem): boolean;
  /** A move back to the very state it started from. */
  self(from: number, move: Move): void;
  /** A move to the state with this hash: true when the state is new (its checks run next). */
  reached(from: number, move: Move, h: Hash): boolean;
  /** The new state of the last reached() passed its checks; its encoded words are words[0..n). False: stop. */
  fresh(words: Int32Array, n: number): boolean;
  /** The new state of the last reached() broke a rule (a state invariant, deadlock, a final invariant). False: stop. */
  freshFailed(problem: Problem): boolean;
}

/** What a codec has interned (explore/Words.ts). */
export interface CodecTables {
  strs: string[];
  shapes: string[][];
}

export interface ExpanderOptions {
  symmetry: boolean;
  /** Partial-order reduction: where an activity's next step is local (explore/localStep.ts), take it alone. */
  reduce?: boolean;
  /**
   * Canonical activity ids (explore/ActivityIds.ts): states that differ only in which id an
   * activity got are one state. Default true.
   */
  canonicalIds?: boolean;
  invariants?: readonly Invariant[];
}

export class Expander {
  readonly t: Transitions;
  private readonly judge: Judge;
  private readonly codec: StateCodec;
  private readonly h: Hash = { hi: 0, lo: 0 };
  /** The hash of the state being expanded, for a move that may lead back to it. */
  private readonly ph: Hash = { hi: 0, lo: 0 };
  /** How many activities can run in the state being expanded. */
  private fromRunnable = 0;
  /**
   * A decoded copy of the state being expanded, and the segments moves have written in it since
   * it was decoded (0: it is a fresh copy): decoding those again makes it one.
   */
  private copy: Decoded;
  private dirty = 0;
  /** The activity the last move stepped in it. */
  private stepped: number | null = null;
  private level = 0;
  // The state being expanded: its words, where they start, its id, the GPUs operations have named.
  private words: Int32Array = new Int32Array(0);
  private at = 0;
  private id = 0;
  private named = 0;
  private sink: ExpandSink | null = null;
  /** What the checked invariants read that a local step could change (for --reduce). */
  private readonly rules: LocalStepRules;
  /** The State fields a trial step read and assigned. */
  private readonly access = new Set<string>();
  /** The renaming into canonical activity ids, or null to keep ids as spawned. */
  private readonly ids: ActivityIds | null;
  /** The first id the state being expanded did not have (its nextAct): ids from it on are new. */
  private fresh = 0;

  constructor(
    driver: Driver,
    private readonly scope: Scope,
    private readonly opts: ExpanderOptions,
  ) {
    this.t = new Transitions(driver, scope);
    // The executor's rules (check/Judge.ts). A state reached again passes the state-only invariants
    // as it did the first time: only the ones that read the step itself (events, re-initialised
    // pages) and lockdep run on every transition; the rest on states seen for the first time.
    this.judge = new Judge(driver, opts.invariants);
    this.rules = localStepRules(this.judge.stepInvariants);
    const initial = this.t.initial();
    this.codec = new StateCodec(initial, this.t.primed);
    this.copy = { s: initial, edges: new Map() };
    this.ids = opts.canonicalIds === false ? null : new ActivityIds(this.t.agents);
  }

  /** The strings and key lists the codec met since the last call, for another thread's codec to learn. */
  tables(): CodecTables {
    return this.codec.w.tables();
  }

  /** Learns another thread's codec tables, so that the states it encoded can be decoded here. */
  learnTables(t: CodecTables): void {
    this.codec.w.learn(t);
  }

  /** The initial state, encoded (a copy), and its hash into `h`. */
  initial(h: Hash): Int32Array {
    this.codec.encode(this.t.initial(), 0, this.t.primed);
    this.codec.hash(h);
    return this.codec.w.buf.slice(0, this.codec.w.n);
  }

  /**
   * Generates every successor of the encoded state words[at..] (path node `id`) at depth `level`,
   * in the search's order, into the sink. False when the sink stopped the search.
   */
  expand(words: Int32Array, at: number, id: number, level: number, sink: ExpandSink): boolean {
    const t = this.t;
    this.words = words;
    this.at = at;
    this.id = id;
    this.level = level;
    this.sink = sink;
    this.named = StateCodec.extraOf(words, at);
    this.fresh = StateCodec.nextActOf(words, at);
    const d = this.codec.decode(words, at);
    const runnable = t.runnable(d.s);
    this.fromRunnable = runnable.length;
    const startable = t.startable(d.s, this.named, this.opts.symmetry);
    const noCpu = t.waitingForCpu(d.s);
    // The state decoded to list the moves serves as the first move's copy.
    this.copy = d;
    this.dirty = 0;
    const ample =
      this.opts.reduce === true && runnable.length + startable.length > 1 ? this.ample(runnable) : -1;
    sink.enabled(id, runnable, noCpu, ample >= 0);
    if (ample >= 0) return this.move(ample, -1, [], 0);
    for (const a of runnable) if (!this.move(a, -1, [], 0)) return false;
    for (const op of startable) if (!this.move(t.agentOfOp(op), op, [], 0)) return false;
    return true;
  }

  /**
   * The first runnable activity whose step is local (explore/localStep.ts: a persistent, invisible
   * set of one move) and leads to a state not known before this level, or -1: expand every move.
   * That last condition is the cycle proviso (C3): a state whose reduced successor is known from
   * this level or an earlier one is expanded in full. Along any cycle of the reduced graph some move
   * goes to a state of no greater depth than its source (depths cannot rise all the way round), so
   * every cycle has a fully expanded state; and the proviso reads only what every thread knows (the
   * states of the levels before), so workers decide it as the search in process does.
   */
  private ample(runnable: readonly number[]): number {
    const { t, codec, h } = this;
    for (const a of runnable) {
      if (this.dirty !== 0)
        this.copy = codec.decode(this.words, this.at, this.copy, this.dirty, this.stepped);
      const d = this.copy;
      const act = d.s.acts.find((x) => x.id === a);
      const before = act ? actBefore(d.s, act, this.rules) : null;
      if (!before) continue;
      const known = d.edges.size;
      this.access.clear();
      const r = t.apply(d.s, d.edges, a, -1, [], this.level, this.access);
      const grew = d.edges.size !== known;
      this.dirty = r.written | (grew ? EDGES : 0) | ACTS | REST;
      this.stepped = r.stepped;
      if (!isLocalStep(this.rules, before, r, this.access, grew)) continue;
      const whole = this.renameIds(r);
      if (!whole && codec.sameAsParent(r.s, this.named, this.words, this.at, this.dirty, this.stepped ?? -1))
        continue;
      codec.encode(r.s, this.named, d.edges, whole ? null : this.words, this.at, this.dirty, this.stepped);
      codec.hash(h);
      if (!(this.sink as ExpandSink).seenBefore(h)) return a;
    }
    return -1;
  }

  /**
   * Every fault-stream choice for one move: entries past the prefix read 0, and each may instead
   * be any other fault value, up to scope.faultsPerStep injected failures per transition. A
   * prefix is empty or ends with an injected (non-zero) value.
   */
  private move(agent: number, op: number, prefix: number[], injected: number): boolean {
    // Decoding only what the last move wrote gives a fresh copy of the state, faster than copying objects.
    if (this.dirty !== 0)
      this.copy = this.codec.decode(this.words, this.at, this.copy, this.dirty, this.stepped);
    const d = this.copy;
    const known = d.edges.size;
    const r = this.t.apply(d.s, d.edges, agent, op, prefix, this.level);
    this.dirty = r.written | (d.edges.size !== known ? EDGES : 0) | ACTS | REST;
    this.stepped = r.stepped;
    if (!this.visit(agent, op, prefix, r, d.edges, known)) return false;
    if (injected >= this.scope.faultsPerStep) return true;
    for (let j = prefix.length; j < r.consumed; j++)
      for (const v of this.t.alternatives(r.masks[j] ?? -1)) {
        const alt = prefix.slice();
        while (alt.length < j) alt.push(0);
        alt.push(v);
        if (!this.move(agent, op, alt, injected + 1)) return false;
      }
    return true;
  }

  /**
   * Renames the activity ids of a successor into canonical ones (explore/ActivityIds.ts), and the
   * stepped activity's id with them. True when an id the parent had changed: then nothing of the
   * parent's encoding, nor of the decoded copy, can be reused (the whole state is encoded, and
   * decoded again for the next move).
   */
  private renameIds(r: Applied): boolean {
    const ids = this.ids;
    if (!ids) return false;
    const kept = ids.canonicalize(r.s, this.fresh);
    const stepped = ids.canonicalOf(r.stepped);
    if (kept) {
      this.stepped = stepped;
      return false;
    }
    this.dirty = ALL_SEGMENTS;
    this.stepped = null;
    return true;
  }

  /** Judges and encodes one generated successor and hands it to the sink; false to stop. */
  private visit(
    agent: number,
    op: number,
    faults: number[],
    r: Applied,
    edges: Map<string, LockEdge>,
    known: number,
  ): boolean {
    const sink = this.sink as ExpandSink;
    const { t, judge, codec, h } = this;
    const n = this.level;
    const from = this.id;
    const move = { agent, op, faults };
    if (r.thrown !== null) {
      const f = stepFailure(r.thrown.e, t.agentName(r.s, agent, op), n);
      // A path the model does not cover ends this branch, not the exploration.
      if (f.k === 'not-modelled') {
        sink.notModelled();
        return true;
      }
      return sink.failed(from, move, f.problem);
    }
    const onStep = judge.transition(r.s, r.events, edges, known, n);
    if (onStep) return sink.failed(from, move, onStep);
    // The encoded state is the one after the step's judgement.
    judge.settle(r.s);
    const g = op >= 0 && this.opts.symmetry ? (t.opGpu[op] as number) : -1;
    const named = g >= 0 ? this.named | (1 << g) : this.named;
    // Asked before the ids are renamed: the activity that stepped is still there.
    const stays = op < 0 && this.fromRunnable === 1 && r.s.acts.some((a) => a.id === agent);
    const whole = this.renameIds(r);
    if (!whole && codec.sameAsParent(r.s, named, this.words, this.at, this.dirty, this.stepped ?? -1)) {
      sink.self(from, move);
      return true;
    }
    // Only the segments this step wrote are encoded again: the others are the parent's words.
    codec.encode(r.s, named, edges, whole ? null : this.words, this.at, this.dirty, this.stepped);
    codec.hash(h);
    // A livelock the explorer can see from one state: the only runnable activity steps back to
    // the very state it started from, so it can repeat forever under any fair scheduler (nothing
    // else can run). Longer loops are the executor's LassoWatch's to find.
    if (stays) {
      const ph = this.ph;
      hash64(this.words, this.at + StateCodec.HASHED_FROM, this.at + StateCodec.HASHED_TO, ph);
      if (ph.hi === h.hi && ph.lo === h.lo) return sink.failed(from, move, livelock(r.s, n - 1, n));
    }
    if (!sink.reached(from, move, h)) return true;
    // The parent passed these when it was new (the initial state was never checked): only the
    // ones that read what this step wrote can fail now.
    const bad = judge.newState(r.s, r.events, n === 0 ? ALL_REGIONS : r.written, n);
    if (bad) return sink.freshFailed(bad);
    if (r.s.acts.length > 0 && !r.s.acts.some((a) => canRun(r.s, a)))
      return sink.freshFailed(judge.deadlock(r.s, n + 1));
    // No activity left: a program ending here is checked for what a finished run must not leave.
    const left = r.s.acts.length === 0 ? judge.finished(r.s, n + 1) : null;
    if (left) return sink.freshFailed(left);
    return sink.fresh(codec.w.buf, codec.w.n);
  }
}
