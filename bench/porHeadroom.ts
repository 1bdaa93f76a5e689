// What partial-order reduction could save at a scope, from the footprints the model gives today
// (explore/stepFootprint.ts). An ample set smaller than all enabled moves must consist of moves that
// no checked invariant can see (condition C2: every invariant that declares what it reads, regions
// or event kinds, reads nothing the step wrote or emitted, and the step adds no lockdep dependency;
// an invariant that declares neither sees every step) and that are independent of every move the
// others can make (C1; here only the moves enabled now are compared, a necessary part of it). This
// walks every state to the depth breadth-first and counts, among the states where moves of two or
// more agents are enabled, those where some agent's moves (an activity's step with each of its fault
// choices, or every operation an idle agent can start) meet C2, and those where they meet C2 and that
// part of C1. Only at the latter can an ample set prune a move.
import type { Driver } from '../model/driver.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { REGION_BITS } from '../model/touched.js';
import type { State } from '../model/types.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Hash } from '../explore/hash64.js';
import type { Scope } from '../explore/scope.js';
import { StateCodec } from '../explore/StateCodec.js';
import { stepFootprint, type StepFootprint } from '../explore/stepFootprint.js';
import { Transitions } from '../explore/Transitions.js';

export interface PorHeadroom {
  distinct: number;
  /** Expanded states with moves of at least two agents (activities or idle agents starting an operation). */
  choice: number;
  /** Of those, the states where some agent's moves (an activity's step, or the operations an idle agent can start) are invisible to every invariant. */
  invisible: number;
  /** Of those, the states where such a step is also independent of every other enabled move. */
  ample: number;
  /** As `invisible`, were the invariants that declare neither regions nor events (they see every step) left out. */
  invisibleToDeclared: number;
  /** As `ample`, with the invariants that declare nothing left out. */
  ampleToDeclared: number;
  /** What sees the agents' moves at the choice states: the first invariant (or lockdep, a throw) that does, per agent and state. */
  seenBy: Record<string, number>;
}

interface Node {
  s: State;
  edges: Map<string, LockEdge>;
  /** The GPUs operations have named (the explorer's word: it is part of the state's identity). */
  named: number;
}

const STEP_INVARIANTS = INVARIANTS.filter((i) => i.final !== true);

/**
 * The first thing that sees the step: an invariant id, 'lockdep' or 'thrown'; null for none.
 * `declaredOnly`: the invariants that declare neither regions nor events are left out.
 */
function seenBy(f: StepFootprint, newEdge: boolean, declaredOnly: boolean): string | null {
  const a = f.applied;
  if (a.thrown !== null) return 'thrown';
  if (newEdge) return 'lockdep';
  const kinds = new Set<string>(a.events.map((e) => e.e));
  for (const inv of STEP_INVARIANTS) {
    if (inv.events) {
      if (inv.events.some((k) => kinds.has(k))) return inv.id;
    } else if (inv.reads || inv.readsUnmarked) {
      if (inv.reads?.some((r) => (a.written & REGION_BITS[r]) !== 0)) return inv.id;
      // Unmarked state (activities, locks, counters): seen when the step may have written its field.
      if (inv.readsUnmarked?.some((u) => f.writes.has(u.split('.')[0] as string))) return inv.id;
    } else if (!declaredOnly) return inv.id;
  }
  return null;
}

function conflict(a: StepFootprint, b: StepFootprint): boolean {
  for (const f of a.writes) if (b.reads.has(f) || b.writes.has(f)) return true;
  for (const f of b.writes) if (a.reads.has(f)) return true;
  return false;
}

export function porHeadroom(driver: Driver, scope: Scope, depth: number): PorHeadroom {
  const t = new Transitions(driver, scope);
  const codec = new StateCodec(t.initial(), t.primed);
  const h: Hash = { hi: 0, lo: 0 };
  const visited = new Set<string>();
  const key = (n: Node): string => {
    codec.encode(n.s, n.named, n.edges);
    codec.hash(h);
    return `${h.hi}:${h.lo}`;
  };
  let frontier: Node[] = [{ s: t.initial(), edges: new Map(t.primed), named: 0 }];
  visited.add(key(frontier[0] as Node));
  const out: PorHeadroom = {
    distinct: 1,
    choice: 0,
    invisible: 0,
    ample: 0,
    invisibleToDeclared: 0,
    ampleToDeclared: 0,
    seenBy: {},
  };
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: Node[] = [];
    for (const n of frontier) {
      // Per agent (an activity's id, or an idle agent starting an operation): its moves' footprints and what sees them.
      const byAgent = new Map<string, { f: StepFootprint; seen: string | null; declared: string | null }[]>();
      const move = (agent: number, op: number, faults: number[], injected: number): void => {
        const s = structuredClone(n.s);
        const edges = new Map(n.edges);
        const f = stepFootprint(t, s, edges, agent, op, faults, level);
        const k = op >= 0 ? `start ${agent}` : `act ${agent}`;
        const newEdge = edges.size !== n.edges.size;
        const seen = seenBy(f, newEdge, false);
        byAgent.set(k, [...(byAgent.get(k) ?? []), { f, seen, declared: seenBy(f, newEdge, true) }]);
        if (f.applied.thrown === null) {
          s.reinitialised.length = 0;
          const g = op >= 0 ? (t.opGpu[op] as number) : -1;
          const c = { s, edges, named: g >= 0 ? n.named | (1 << g) : n.named };
          const id = key(c);
          if (!visited.has(id)) {
            visited.add(id);
            next.push(c);
          }
        }
        if (injected >= scope.faultsPerStep) return;
        const a = f.applied;
        for (let j = faults.length; j < a.consumed; j++)
          for (const v of t.alternatives(a.masks[j] ?? -1)) {
            const alt = faults.slice();
            while (alt.length < j) alt.push(0);
            alt.push(v);
            move(agent, op, alt, injected + 1);
          }
      };
      for (const a of t.runnable(n.s)) move(a, -1, [], 0);
      for (const op of t.startable(n.s, n.named, true)) move(t.agentOfOp(op), op, [], 0);
      if (byAgent.size < 2) continue;
      out.choice++;
      let invisible = false;
      let ample = false;
      let declared = false;
      let ampleDeclared = false;
      for (const [k, mine] of byAgent) {
        const others = [...byAgent].filter(([o]) => o !== k).flatMap(([, v]) => v);
        const independent = mine.every((m) => others.every((o) => !conflict(m.f, o.f)));
        if (mine.every((m) => m.declared === null)) {
          declared = true;
          if (independent) ampleDeclared = true;
        }
        const by = mine.find((m) => m.seen !== null)?.seen;
        if (by) {
          out.seenBy[by] = (out.seenBy[by] ?? 0) + 1;
          continue;
        }
        invisible = true;
        if (independent) ample = true;
      }
      if (invisible) out.invisible++;
      if (ample) out.ample++;
      if (declared) out.invisibleToDeclared++;
      if (ampleDeclared) out.ampleToDeclared++;
    }
    frontier = next;
  }
  out.distinct = visited.size;
  return out;
}
