// Canonical activity ids: the renaming the explorer applies to every state before it encodes it,
// so that states differing only in which id an activity got (ids are handed out in spawn order, so
// starting two operations in either order names their activities differently) are one state.
//
// Where activity ids are held (model/types.ts, model/fence/types.ts), and nothing else holds one:
// - Activity.id;
// - LockState.w and LockState.r, the holders of a lock (model/locks.ts);
// - Uapi.inflight[].act, the set_attr call in progress (model/kernel/svmUapi.ts);
// - Job.act, the activity running a GPU job (model/fence/publishJob.ts).
// ACTIVITY_ID_PLACES names them; test/activityIds.test.ts checks on every built-in driver that a
// renaming of exactly these places commutes with every step (see below).
//
// Why the renaming is sound. The model reads an activity id only to compare it for equality (a
// lock's holder is me, the set_attr in flight is mine, the job's activity is that one) and, in one
// place, for order against fresh ids (model/engine.ts: work spawned during this step has an id at
// least nextAct). A bijection of the ids that keeps every fresh id above every id in use therefore
// maps each step from a state to the same step from the renamed state: the two states have the
// same future up to the renaming, the same invariant verdicts (invariants, too, only look ids up),
// and the same transitions. The order of State.acts is not read either, except to list candidates
// (the executor orders its own; the explorer tries every one) and in reports.
//
// The canonical numbering is a function of the state alone:
// - a program operation's activity gets its agent's index (an agent runs one operation at a time);
// - spawned work (kworkers, GPU jobs, timers) gets the next numbers in spawn order (ids order it);
// - an id no activity has any more but some place still holds (a finished job's activity) gets the
//   next, in the order the places are walked (jobs, set_attr calls, locks by name);
// - nextAct is the first number above all of them.
// State.acts is ordered by the new ids and each lock's readers sorted (a multiset: the model only
// counts them and removes one by value).
//
// Fairness (explore/FairCycles.ts) compares activity ids across states: a program operation's
// activity keeps its agent's number in every state, and spawned work present all along a cycle is
// older than any work spawned in it, so its number does not move either. A cycle of canonical
// states that is not a cycle of real states (work finished and a look-alike spawned in its place)
// is not reported: Search confirms each fair cycle on the real states (explore/realPath.ts).
import type { Activity, State } from '../model/types.js';

/** The fields that hold activity ids, by record (model/types.ts, model/fence/types.ts). */
export const ACTIVITY_ID_PLACES = [
  'Activity.id',
  'LockState.w',
  'LockState.r',
  'Uapi.inflight.act',
  'Job.act',
] as const;

export class ActivityIds {
  private readonly agentIndex: ReadonlyMap<string, number>;
  private readonly agents: number;
  /** Real id → canonical id, for the state last planned. */
  readonly map = new Map<number, number>();
  private readonly spawned: Activity[] = [];
  private readonly program: (Activity | undefined)[] = [];

  /** @param agents the explorer's agents (Transitions.agents: CPU threads, then GPUs) */
  constructor(agents: readonly string[]) {
    this.agentIndex = new Map(agents.map((a, i) => [a, i]));
    this.agents = agents.length;
  }

  /** The canonical id of a real id of the state last planned or renamed (-1 for none). */
  canonicalOf(id: number): number {
    return this.map.get(id) ?? -1;
  }

  /**
   * Plans the canonical renaming of s into this.map (without changing s); returns the first id
   * above every canonical one.
   */
  plan(s: State): number {
    const m = this.map;
    m.clear();
    const program = this.program;
    program.length = this.agents;
    program.fill(undefined);
    const spawned = this.spawned;
    spawned.length = 0;
    for (const a of s.acts) {
      if (a.op < 0) {
        spawned.push(a);
        continue;
      }
      const g = this.agentIndex.get(a.agent);
      if (g === undefined || program[g] !== undefined)
        throw new Error(`explore: activity ${a.id} of ${a.agent} is not its agent's one operation`);
      program[g] = a;
      m.set(a.id, g);
    }
    let next = this.agents;
    // Spawned work is appended as it is spawned, so State.acts lists it in id order already.
    for (let i = 1; i < spawned.length; i++)
      if ((spawned[i] as Activity).id < (spawned[i - 1] as Activity).id) {
        spawned.sort((x, y) => x.id - y.id);
        break;
      }
    for (const a of spawned) m.set(a.id, next++);
    for (const j of s.sync.jobs) if (j.act >= 0 && !m.has(j.act)) m.set(j.act, next++);
    for (const f of s.uapi.inflight) if (f.act >= 0 && !m.has(f.act)) m.set(f.act, next++);
    let orphan = false;
    for (const name in s.locks) {
      const l = s.locks[name];
      if (!l) continue;
      if (l.w >= 0 && !m.has(l.w)) orphan = true;
      for (const r of l.r) if (!m.has(r)) orphan = true;
    }
    if (orphan)
      for (const name of Object.keys(s.locks).sort()) {
        const l = s.locks[name];
        if (!l) continue;
        if (l.w >= 0 && !m.has(l.w)) m.set(l.w, next++);
        for (const r of l.r) if (!m.has(r)) m.set(r, next++);
      }
    return next;
  }

  /**
   * Renames the activity ids of s in place into their canonical numbers. Returns whether every id
   * below `fresh` (the ids the state's parent had: the parent's nextAct) kept its number and every
   * new one got a number the parent did not use (its agent's, for a program operation started now;
   * else at least `fresh`): then only the activities and records the step itself created changed,
   * and the parent's encoding of everything else, found by id, still holds. (Work that finishes in
   * the step that spawns more would otherwise hand its number to the new work.)
   */
  canonicalize(s: State, fresh: number): boolean {
    const m = this.map;
    const next = this.plan(s);
    let kept = true;
    let same = true;
    for (const [from, to] of m)
      if (from !== to) {
        same = false;
        if (from < fresh || (to < fresh && to >= this.agents)) kept = false;
      }
    s.nextAct = next;
    const acts = s.acts;
    if (!same) {
      for (const a of acts) a.id = m.get(a.id) as number;
      for (const j of s.sync.jobs) if (j.act >= 0) (j as { act: number }).act = m.get(j.act) as number;
      for (const f of s.uapi.inflight) if (f.act >= 0) (f as { act: number }).act = m.get(f.act) as number;
    }
    for (let i = 1; i < acts.length; i++)
      if ((acts[i] as Activity).id < (acts[i - 1] as Activity).id) {
        acts.sort((x, y) => x.id - y.id);
        break;
      }
    for (const name in s.locks) {
      const l = s.locks[name];
      if (!l) continue;
      if (!same && l.w >= 0) l.w = m.get(l.w) as number;
      const r = l.r;
      if (r.length === 0) continue;
      if (!same) for (let i = 0; i < r.length; i++) r[i] = m.get(r[i] as number) as number;
      if (r.length > 1) r.sort((x, y) => x - y);
    }
    return kept;
  }
}
