// How much partial-order reduction could ever save at a scope, measured on the states themselves
// rather than on footprints (issue 23). Two moves of different agents commute at a state when each
// stays enabled after the other and both orders reach the same encoded state (the explorer's own
// state identity, StateCodec). Any sound persistent set of one agent's moves must commute, at the
// state, with every move the other agents have enabled there (a move enabled now is a path of one
// move that avoids the set), so the states where no agent's moves all commute with the others' are
// states no reduction by one agent can prune. `oracle` explores breadth-first taking, wherever some
// agent's moves commute with every other enabled move, that agent's moves alone (with the
// Expander's cycle proviso): an optimistic reduction, as it ignores the moves the others could make
// later and what the invariants see, so no sound reduction of one agent's moves per state can be
// expected to do much better than it. With `canonicalIds` (the explorer's default) every state is
// renamed into canonical activity ids first (explore/ActivityIds.ts), as the explorer renames it.
import type { Driver } from '../model/driver.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { State } from '../model/types.js';
import type { Hash } from '../explore/hash64.js';
import type { Scope } from '../explore/scope.js';
import { ActivityIds } from '../explore/ActivityIds.js';
import { StateCodec } from '../explore/StateCodec.js';
import { Transitions } from '../explore/Transitions.js';

export interface PorCommuting {
  /** Distinct states to the depth, in full. */
  distinct: number;
  /** Expanded states with moves of at least two agents. */
  choice: number;
  /** Of those, the states where some agent's moves all commute with every other agent's enabled moves. */
  commuting: number;
  /** Pairs of enabled moves of different agents at the choice states, and those that commute. */
  pairs: number;
  commutingPairs: number;
  /** Distinct states to the same depth with the optimistic reduction. */
  oracleDistinct: number;
  /** Of the pairs that do not commute: one disables the other (or a step of either order throws). */
  disabling: number;
  /**
   * Pairs enabled in both orders, with no throw, that still do not commute: per State field (and
   * `edges`, the path's lockdep dependencies), in how many of them the two orders differ there.
   */
  differ: Record<string, number>;
  /**
   * Of those, the pairs whose two states differ in nothing but the activities' ids and order (ids
   * are handed out in spawn order): states a renaming of activity ids would make one.
   */
  idsOnly: number;
}

/** Fields the codec does not hash (fresh-name counters, the fault stream's position in a step). */
const UNHASHED: ReadonlySet<string> = new Set(['faultIdx', 'nextAct', 'nextMig', 'writeSeq']);

/** The activities without their ids, in a canonical order. */
const actsUnnamed = (s: State): string =>
  JSON.stringify(s.acts.map((a) => JSON.stringify({ ...a, id: 0 })).sort());

/**
 * Where the activities of two states differ, activity by activity (same id): `acts.<field>`, and for
 * frames the procedure and local (`acts.l:<fn>.<local>`), or `acts.set` when the two have different
 * activities.
 */
function actsDiffer(a: State, b: State): Set<string> {
  const out = new Set<string>();
  if (a.acts.length !== b.acts.length || a.acts.some((x, i) => x.id !== b.acts[i]?.id)) {
    out.add('acts.set');
    return out;
  }
  a.acts.forEach((x, i) => {
    const y = b.acts[i] as (typeof b.acts)[number];
    for (const f of ['wait', 'held', 'cpu', 'bound', 'agent'] as const)
      if (JSON.stringify(x[f]) !== JSON.stringify(y[f])) out.add(`acts.${f}`);
    if (x.frames.length !== y.frames.length) {
      out.add('acts.frames');
      return;
    }
    x.frames.forEach((f, k) => {
      const g = y.frames[k] as (typeof y.frames)[number];
      if (f.fn !== g.fn || f.pc !== g.pc) out.add('acts.pc');
      for (const key of new Set([...Object.keys(f.l), ...Object.keys(g.l)]))
        if (JSON.stringify(f.l[key]) !== JSON.stringify(g.l[key])) out.add(`acts.l:${f.fn}.${key}`);
      if (JSON.stringify(f.r) !== JSON.stringify(g.r)) out.add(`acts.r:${f.fn}`);
    });
  });
  return out;
}

interface Node {
  s: State;
  edges: Map<string, LockEdge>;
  named: number;
}

interface MoveOf {
  /** The agent: `a<id>` for an activity's step, `t<agent>` for an operation an idle agent starts. */
  agent: string;
  act: number;
  op: number;
  faults: number[];
}

export function porCommuting(
  driver: Driver,
  scope: Scope,
  depth: number,
  opts: { canonicalIds?: boolean } = {},
): PorCommuting {
  const t = new Transitions(driver, scope);
  const ids = opts.canonicalIds === true ? new ActivityIds(t.agents) : null;
  const codec = new StateCodec(t.initial(), t.primed);
  const h: Hash = { hi: 0, lo: 0 };
  const key = (n: Node): string => {
    codec.encode(n.s, n.named, n.edges);
    codec.hash(h);
    return `${h.hi}:${h.lo}`;
  };
  const enabled = (n: Node, m: MoveOf): boolean =>
    m.op >= 0 ? t.startable(n.s, n.named, true).includes(m.op) : t.runnable(n.s).includes(m.act);
  /** The state after the move, or null when it throws. */
  const apply = (n: Node, m: MoveOf, level: number): Node | null => {
    const s = structuredClone(n.s);
    const edges = new Map(n.edges);
    const r = t.apply(s, edges, m.act, m.op, m.faults, level);
    if (r.thrown !== null) return null;
    s.reinitialised.length = 0;
    ids?.canonicalize(s, n.s.nextAct);
    const g = m.op >= 0 ? (t.opGpu[m.op] as number) : -1;
    return { s, edges, named: g >= 0 ? n.named | (1 << g) : n.named };
  };
  const movesOf = (n: Node, level: number): MoveOf[] => {
    const out: MoveOf[] = [];
    const add = (agent: string, act: number, op: number, faults: number[], injected: number): void => {
      out.push({ agent, act, op, faults });
      if (injected >= scope.faultsPerStep) return;
      const s = structuredClone(n.s);
      const r = t.apply(s, new Map(n.edges), act, op, faults, level);
      for (let j = faults.length; j < r.consumed; j++)
        for (const v of t.alternatives(r.masks[j] ?? -1)) {
          const alt = faults.slice();
          while (alt.length < j) alt.push(0);
          alt.push(v);
          add(agent, act, op, alt, injected + 1);
        }
    };
    for (const a of t.runnable(n.s)) add(`a${a}`, a, -1, [], 0);
    for (const op of t.startable(n.s, n.named, true)) add(`t${t.agentOfOp(op)}`, t.agentOfOp(op), op, [], 0);
    return out;
  };
  const commute = (n: Node, x: MoveOf, y: MoveOf, level: number): boolean => {
    const sx = apply(n, x, level);
    const sy = apply(n, y, level);
    const disabled = (): boolean => {
      if (count) out.disabling++;
      return false;
    };
    if (!sx || !sy || !enabled(sx, y) || !enabled(sy, x)) return disabled();
    const xy = apply(sx, y, level + 1);
    const yx = apply(sy, x, level + 1);
    if (xy === null || yx === null) return disabled();
    if (key(xy) === key(yx)) return true;
    if (count) {
      const fields = (Object.keys(xy.s) as (keyof State)[]).filter(
        (f) => JSON.stringify(xy.s[f]) !== JSON.stringify(yx.s[f]),
      );
      for (const f of fields) out.differ[f] = (out.differ[f] ?? 0) + 1;
      if (fields.includes('acts'))
        for (const k of actsDiffer(xy.s, yx.s)) out.differ[k] = (out.differ[k] ?? 0) + 1;
      const sameEdges =
        JSON.stringify([...xy.edges.keys()].sort()) === JSON.stringify([...yx.edges.keys()].sort());
      if (!sameEdges) out.differ['edges'] = (out.differ['edges'] ?? 0) + 1;
      const meaningful = fields.filter((f) => !UNHASHED.has(f));
      if (
        sameEdges &&
        xy.named === yx.named &&
        meaningful.length === 1 &&
        meaningful[0] === 'acts' &&
        actsUnnamed(xy.s) === actsUnnamed(yx.s)
      )
        out.idsOnly++;
    }
    return false;
  };
  const out: PorCommuting = {
    distinct: 0,
    choice: 0,
    commuting: 0,
    pairs: 0,
    commutingPairs: 0,
    oracleDistinct: 0,
    disabling: 0,
    differ: {},
    idsOnly: 0,
  };
  let count = false;
  for (const reduce of [false, true]) {
    count = !reduce;
    const visited = new Map<string, number>();
    let frontier: Node[] = [{ s: t.initial(), edges: new Map(t.primed), named: 0 }];
    visited.set(key(frontier[0] as Node), 0);
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: Node[] = [];
      for (const n of frontier) {
        const moves = movesOf(n, level);
        const agents = [...new Set(moves.map((m) => m.agent))];
        let take = moves;
        if (agents.length >= 2) {
          // Every pair of moves of different agents, once: does it commute here?
          const ok = moves.map(() => moves.map(() => true));
          moves.forEach((m, i) =>
            moves.forEach((o, j) => {
              if (j <= i || m.agent === o.agent) return;
              const c = commute(n, m, o, level);
              (ok[i] as boolean[])[j] = c;
              (ok[j] as boolean[])[i] = c;
              if (!reduce) {
                out.pairs++;
                if (c) out.commutingPairs++;
              }
            }),
          );
          const alone = agents.filter((a) =>
            moves.every((m, i) => m.agent !== a || (ok[i] as boolean[]).every((c) => c)),
          );
          if (!reduce) {
            out.choice++;
            if (alone.length > 0) out.commuting++;
          }
          if (reduce)
            for (const a of alone) {
              const mine = moves.filter((m) => m.agent === a);
              // The Expander's cycle proviso: none of them may lead to a state known before this level.
              const known = mine.some((m) => {
                const c = apply(n, m, level);
                const seen = c ? visited.get(key(c)) : undefined;
                return seen !== undefined && seen <= level;
              });
              if (!known) {
                take = mine;
                break;
              }
            }
        }
        for (const m of take) {
          const c = apply(n, m, level);
          if (!c) continue;
          const k = key(c);
          if (!visited.has(k)) {
            visited.set(k, level + 1);
            next.push(c);
          }
        }
      }
      frontier = next;
    }
    if (reduce) out.oracleDistinct = visited.size;
    else out.distinct = visited.size;
  }
  return out;
}
