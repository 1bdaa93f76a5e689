// Turns the explorer's path to a violation into a concrete program — configuration, operations,
// schedule and fault stream — that the program executor replays step for step.
import { canRun } from '../model/engine.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { Move, Transitions } from './Transitions.js';

/** Where the executor puts spawned work among its candidates: after every program operation, by id. */
const SPAWNED_ORDER = 1 << 30;

/**
 * The program whose run takes exactly the path's steps: operations in the order the path starts
 * them, the fault entries each step consumed, and at every step where the executor has more than
 * one candidate (running program activities and each idle agent's next operation, by operation
 * index, then spawned work by activity id, as check/execute.ts orders them) the index of the one
 * the path takes.
 */
export function pathToProgram(t: Transitions, moves: readonly Move[]): Program {
  const ops: Op[] = [];
  for (const m of moves) if (m.op >= 0) ops.push(t.alphabet[m.op] as Op);
  // Each agent's operations, by index into ops.
  const queue = t.agents.map(() => [] as number[]);
  let n = 0;
  for (const m of moves) if (m.op >= 0) queue[m.agent]?.push(n++);
  const started = t.agents.map(() => 0);
  const runningOp = t.agents.map(() => -1);
  const schedule: number[] = [];
  const faults: number[] = [];
  const s = t.initial();
  const edges = new Map(t.primed);
  for (const [step, m] of moves.entries()) {
    // Candidates as (order key, activity id or -1 - agent index for an operation to start).
    const cands: Array<{ key: number; who: number }> = [];
    t.agents.forEach((name, agent) => {
      const act = s.acts.find((a) => a.agent === name && a.op >= 0);
      if (act) {
        if (canRun(s, act)) cands.push({ key: runningOp[agent] as number, who: act.id });
        return;
      }
      const next = queue[agent]?.[started[agent] as number];
      if (next !== undefined) cands.push({ key: next, who: -1 - agent });
    });
    for (const a of s.acts)
      if (a.op < 0 && canRun(s, a)) cands.push({ key: SPAWNED_ORDER + a.id, who: a.id });
    cands.sort((x, y) => x.key - y.key);
    const want = m.op >= 0 ? -1 - m.agent : m.agent;
    const pick = cands.findIndex((c) => c.who === want);
    if (pick < 0)
      throw new Error(`explore: ${t.agentName(s, m.agent, m.op)} cannot take step ${step} of its path`);
    if (cands.length > 1) schedule.push(pick);
    if (m.op >= 0) {
      runningOp[m.agent] = queue[m.agent]?.[started[m.agent] as number] ?? -1;
      started[m.agent] = (started[m.agent] as number) + 1;
    }
    const r = t.apply(s, edges, m.agent, m.op, m.faults, step);
    s.reinitialised.length = 0;
    for (let i = 0; i < r.consumed; i++) faults.push(m.faults[i] ?? 0);
  }
  while (faults.length > 0 && faults[faults.length - 1] === 0) faults.pop();
  return { config: t.scope.config, ops, schedule, faults };
}
