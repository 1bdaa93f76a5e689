// Turns the explorer's path to a violation into a concrete program — configuration, operations,
// schedule and fault stream — that the program executor replays step for step.
import { canRun } from '../model/engine.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { Move, Transitions } from './Transitions.js';

/**
 * The program whose run takes exactly the path's steps: operations in the order the path starts
 * them, the fault entries each step consumed, and at every step where the executor has more than
 * one candidate (running activities and each idle agent's next operation, by operation index) the
 * index of the one the path takes.
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
  for (const m of moves) {
    const cands: Array<{ agent: number; op: number }> = [];
    t.agents.forEach((name, agent) => {
      const act = s.acts.find((a) => a.agent === name);
      if (act) {
        if (canRun(s, act)) cands.push({ agent, op: runningOp[agent] as number });
        return;
      }
      const next = queue[agent]?.[started[agent] as number];
      if (next !== undefined) cands.push({ agent, op: next });
    });
    cands.sort((x, y) => x.op - y.op);
    const pick = cands.findIndex((c) => c.agent === m.agent);
    if (pick < 0)
      throw new Error(`explore: ${t.agents[m.agent]} cannot take step ${schedule.length} of its path`);
    if (cands.length > 1) schedule.push(pick);
    if (m.op >= 0) {
      runningOp[m.agent] = queue[m.agent]?.[started[m.agent] as number] ?? -1;
      started[m.agent] = (started[m.agent] as number) + 1;
    }
    const r = t.apply(s, m.agent, m.op, m.faults);
    for (let i = 0; i < r.consumed; i++) faults.push(m.faults[i] ?? 0);
    const name = t.agents[m.agent];
    if (!s.acts.some((a) => a.agent === name)) runningOp[m.agent] = -1;
  }
  while (faults.length > 0 && faults[faults.length - 1] === 0) faults.pop();
  return { config: t.scope.config, ops, schedule, faults };
}
