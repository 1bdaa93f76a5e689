// A path of the explorer in canonical activity ids (each move's activity named as the state it is
// taken from names it, explore/ActivityIds.ts), replayed from the initial state on real states,
// whose ids are handed out in spawn order as the executor hands them out: the same path with real
// ids. A real state and the stored state it stands for are one state up to the renaming, and the
// canonical numbering is a function of the state, so the renaming of the real state says which of
// its activities a canonical id names.
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { State } from '../model/types.js';
import { ActivityIds } from './ActivityIds.js';
import type { Move, Transitions } from './Transitions.js';

/**
 * The moves with real activity ids. `each` sees the real state before each move (its index) and,
 * last, the state after the path (index moves.length).
 */
export function realPath(
  t: Transitions,
  moves: readonly Move[],
  each?: (s: State, edges: ReadonlyMap<string, LockEdge>, n: number) => void,
): Move[] {
  const ids = new ActivityIds(t.agents);
  const s = t.initial();
  const edges = new Map(t.primed);
  const out: Move[] = [];
  moves.forEach((m, n) => {
    each?.(s, edges, n);
    let agent = m.agent;
    if (m.op < 0) {
      ids.plan(s);
      agent = -1;
      for (const [real, canonical] of ids.map) if (canonical === m.agent) agent = real;
      if (agent < 0 || !s.acts.some((a) => a.id === agent))
        throw new Error(`explore: no activity ${m.agent} at step ${n} of the path`);
    }
    out.push({ agent, op: m.op, faults: m.faults.slice() });
    t.apply(s, edges, agent, m.op, m.faults, n);
    if (s.reinitialised.length > 0) s.reinitialised.length = 0;
  });
  each?.(s, edges, moves.length);
  return out;
}
