// Canonical activity ids (explore/ActivityIds.ts) are sound only if renaming the ids in the places
// the model keeps them commutes with every step: from a state and from the same state with its ids
// renamed, every move (renamed alike) throws alike, breaks the same invariants and reaches states
// whose canonical encodings are equal word for word. Checked on the states of each built-in correct
// driver's smallest scope and of scopes with two threads, two GPUs, fences and jobs (finished jobs
// keep their activity's id), with a renaming that moves program activities' ids anywhere and keeps
// spawned work in order (the canonical numbering is a function of the state up to such renamings).
import { describe, expect, it } from 'vitest';
import { Judge } from '../check/Judge.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import type { Driver } from '../model/driver.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { State } from '../model/types.js';
import { ALL_REGIONS } from '../model/touched.js';
import { ActivityIds } from '../explore/ActivityIds.js';
import { explore } from '../explore/explore.js';
import { Expander, type ExpandSink } from '../explore/Expander.js';
import type { Hash } from '../explore/hash64.js';
import type { Move } from '../explore/Transitions.js';
import type { Scope } from '../explore/scope.js';
import { scopeByName } from '../explore/scopes.js';
import { StateCodec } from '../explore/StateCodec.js';
import { Transitions } from '../explore/Transitions.js';

interface Node {
  s: State;
  edges: Map<string, LockEdge>;
}

/** Renames every activity id of s (the places test/activityIds lists, written out here again). */
function renamed(s: State, f: (id: number) => number): State {
  const c = structuredClone(s);
  for (const a of c.acts) a.id = f(a.id);
  for (const j of c.sync.jobs) if (j.act >= 0) (j as { act: number }).act = f(j.act);
  for (const x of c.uapi.inflight) if (x.act >= 0) (x as { act: number }).act = f(x.act);
  for (const l of Object.values(c.locks)) {
    if (l.w >= 0) l.w = f(l.w);
    l.r = l.r.map(f);
  }
  return c;
}

/** Every id the state holds. */
function idsOf(s: State): number[] {
  const out = new Set<number>();
  for (const a of s.acts) out.add(a.id);
  for (const j of s.sync.jobs) if (j.act >= 0) out.add(j.act);
  for (const x of s.uapi.inflight) if (x.act >= 0) out.add(x.act);
  for (const l of Object.values(s.locks)) {
    if (l.w >= 0) out.add(l.w);
    for (const r of l.r) out.add(r);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * A renaming of s: program activities' ids reversed among themselves and moved far up, everything
 * else (spawned work, ids only records keep) shifted up in order; nextAct above them all.
 */
function scramble(s: State): { s: State; f: (id: number) => number } {
  const program = s.acts.filter((a) => a.op >= 0).map((a) => a.id);
  const others = idsOf(s).filter((id) => !program.includes(id));
  const map = new Map<number, number>();
  program.forEach((id, i) => map.set(id, 1000 + program.length - i));
  others.forEach((id, i) => map.set(id, 500 + 3 * i));
  const f = (id: number): number => map.get(id) ?? id;
  const r = renamed(s, f);
  r.nextAct = 2000;
  return { s: r, f };
}

/** How many moves were checked, and from how many states holding ids in each place. */
interface Coverage {
  moves: number;
  locks: number;
  jobs: number;
  inflight: number;
  spawned: number;
}

function check(driver: Driver, scope: Scope, depth: number): Coverage {
  const t = new Transitions(driver, scope);
  const ids = new ActivityIds(t.agents);
  const codec = new StateCodec(t.initial(), t.primed);
  const judge = new Judge(driver);
  const canonical = (n: Node, fresh: number): number[] => {
    const c = structuredClone(n.s);
    ids.canonicalize(c, fresh);
    codec.encode(c, 0, n.edges);
    return Array.from(codec.w.buf.subarray(StateCodec.HASHED_FROM, codec.w.n));
  };
  const step = (n: Node, agent: number, op: number, level: number) => {
    const s = structuredClone(n.s);
    const edges = new Map(n.edges);
    const known = edges.size;
    const r = t.apply(s, edges, agent, op, [], level);
    const verdict =
      r.thrown !== null
        ? `threw ${r.thrown.e instanceof Error ? r.thrown.e.constructor.name : typeof r.thrown.e}`
        : (judge.transition(s, r.events, edges, known, level)?.invariant ??
          judge.newState(s, r.events, ALL_REGIONS, level)?.invariant ??
          'ok');
    s.reinitialised.length = 0;
    return { node: { s, edges }, verdict, events: r.events.map((e) => e.e) };
  };
  let frontier: Node[] = [{ s: t.initial(), edges: new Map(t.primed) }];
  const seen = new Set<string>();
  const cov: Coverage = { moves: 0, locks: 0, jobs: 0, inflight: 0, spawned: 0 };
  for (let level = 0; level < depth; level++) {
    const next: Node[] = [];
    for (const n of frontier) {
      if (Object.keys(n.s.locks).length > 0) cov.locks++;
      if (n.s.sync.jobs.length > 0) cov.jobs++;
      if (n.s.uapi.inflight.length > 0) cov.inflight++;
      if (n.s.acts.some((a) => a.op < 0)) cov.spawned++;
      const { s: other, f } = scramble(n.s);
      const twin: Node = { s: other, edges: n.edges };
      const moves: Array<[number, number]> = [
        ...t.runnable(n.s).map((a): [number, number] => [a, -1]),
        ...t.startable(n.s, 0, true).map((op): [number, number] => [t.agentOfOp(op), op]),
      ];
      // The renamed state offers the same moves, renamed.
      expect(t.runnable(other)).toEqual(t.runnable(n.s).map(f));
      for (const [agent, op] of moves) {
        const a = step(n, agent, op, level);
        const b = step(twin, op >= 0 ? agent : f(agent), op, level);
        expect(b.verdict).toBe(a.verdict);
        expect(b.events).toEqual(a.events);
        if (a.verdict.startsWith('threw')) continue;
        expect(canonical(b.node, 2000)).toEqual(canonical(a.node, n.s.nextAct));
        cov.moves++;
        const key = canonical(a.node, n.s.nextAct).join(',');
        if (!seen.has(key) && a.verdict === 'ok') {
          seen.add(key);
          next.push(a.node);
        }
      }
    }
    frontier = next;
  }
  return cov;
}

const driver = (name: string): Driver => {
  const d = BUILTIN_DRIVERS.find((x) => x.name === name);
  if (!d) throw new Error(name);
  return d;
};
const scope = (name: string): Scope => {
  const s = scopeByName(name);
  if (!s) throw new Error(name);
  return s;
};

describe('canonical activity ids', () => {
  // Per run, the places that must have held ids in some state checked (so that a renaming missing
  // one of them would be seen).
  it.each([
    ['reference', 'svm-tiny', 3, ['locks', 'inflight']],
    ['reference', 'two-threads', 4, ['locks']],
    ['mirror', 'two-threads', 4, ['locks']],
    ['gpusvm', 'two-gpus', 3, ['locks']],
    ['kfd', 'kfd-tiny', 3, ['locks']],
    ['fence-reference', 'fence-tiny', 4, ['jobs', 'spawned']],
    ['xe', 'multi-device-tiny', 3, ['locks']],
    ['reference', 'svm-eviction', 4, ['locks']],
  ] as const)(
    '%s at %s to depth %i: a renaming of the ids commutes with every step',
    (d, sc, depth, held) => {
      const cov = check(driver(d), scope(sc), depth);
      expect(cov.moves).toBeGreaterThan(20);
      for (const place of held) expect(cov[place], place).toBeGreaterThan(0);
    },
  );

  it('merge states: fewer distinct states, the same verdicts', () => {
    const d = driver('reference');
    const sc = scope('two-threads');
    const opts = { depth: 3, maxStates: 100_000, symmetry: true };
    const spawnOrder = explore(d, sc, { ...opts, canonicalIds: false });
    const canonical = explore(d, sc, opts);
    expect(canonical.canonicalIds).toBe(true);
    expect(spawnOrder.canonicalIds).toBe(false);
    expect(canonical.distinct).toBeLessThan(spawnOrder.distinct);
    expect(canonical.violation).toBeNull();
    expect(spawnOrder.violation).toBeNull();
  });

  // The explorer encodes a successor from its parent's words where the step wrote nothing, and
  // renames ids in place on a decoded copy it reuses: every state it stores must be, word for
  // word, the full encoding of its parent's decoded state after the move, renamed.
  it.each([
    ['reference', 'two-threads', 4, false],
    ['fence-reference', 'fence-tiny', 4, true],
    ['kfd', 'kfd-tiny', 4, false],
    ['reference', 'svm-eviction', 5, false],
    // The BO's eviction worker finishes in the step that spawns its release: the new work must not
    // take the number the finished work had (the parent's words under that number are the old work).
    ['bo-reuse-referenced-page', 'svm-eviction', 10, true],
  ] as const)(
    '%s at %s to depth %i: the stored states are the full canonical encodings',
    (d, sc, depth, wholeSeen) => {
      const drv = driver(d);
      const sco = scope(sc);
      const x = new Expander(drv, sco, { symmetry: true });
      const t = new Transitions(drv, sco);
      const ids = new ActivityIds(t.agents);
      const codec = new StateCodec(t.initial(), t.primed);
      const h: Hash = { hi: 0, lo: 0 };
      const states: Int32Array[] = [x.initial(h)];
      const seen = new Set([`${h.hi}:${h.lo}`]);
      let pending: { from: number; move: Move } | null = null;
      let level = 0;
      let renamed = 0;
      // Moves after which an id the parent had changed (the state is encoded and decoded whole).
      let whole = 0;
      const sink: ExpandSink = {
        enabled: () => undefined,
        seenBefore: () => false,
        notModelled: () => undefined,
        failed: () => true,
        self: () => undefined,
        reached(from, move, hh) {
          const k = `${hh.hi}:${hh.lo}`;
          if (seen.has(k)) return false;
          seen.add(k);
          pending = { from, move: { ...move, faults: move.faults.slice() } };
          return true;
        },
        fresh(words, n) {
          const { from, move } = pending as { from: number; move: Move };
          const got = words.slice(0, n);
          states.push(got);
          codec.w.learn(x.tables());
          const parent = states[from] as Int32Array;
          const p = codec.decode(parent, 0);
          t.apply(p.s, p.edges, move.agent, move.op, move.faults, level);
          p.s.reinitialised.length = 0;
          const before = p.s.acts.map((a) => a.id).join();
          if (!ids.canonicalize(p.s, StateCodec.nextActOf(parent, 0))) whole++;
          if (p.s.acts.map((a) => a.id).join() !== before) renamed++;
          codec.encode(p.s, StateCodec.extraOf(got, 0), p.edges);
          expect(Array.from(got)).toEqual(Array.from(codec.w.buf.subarray(0, codec.w.n)));
          return true;
        },
        freshFailed: () => true,
      };
      let frontier = [0];
      for (; level < depth; level++) {
        const first = states.length;
        for (const id of frontier) x.expand(states[id] as Int32Array, 0, id, level, sink);
        frontier = Array.from({ length: states.length - first }, (_, i) => first + i);
      }
      expect(states.length).toBeGreaterThan(100);
      expect(renamed).toBeGreaterThan(0);
      // fence-tiny's finished jobs keep their activities' ids, which move up when a job finishes.
      if (wholeSeen) expect(whole).toBeGreaterThan(0);
    },
  );
});
