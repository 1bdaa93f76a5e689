// The forward-progress finding of a livelock, the same for the executor (LassoWatch in random mode)
// and the explorer (a move that steps the only runnable activity back to the state it started from).
// A loop in which some runnable activity never gets a CPU, because the tasks keeping the CPUs it may
// run on spin without a preemption point the configured model honours, is a lockup instead: the
// kernel's soft-lockup watchdog fires on the spinning CPU (model/cpus.ts).
import { canRun } from '../model/engine.js';
import { holderOf, preemptModel, starvedOfCpu } from '../model/cpus.js';
import type { Activity, State } from '../model/types.js';
import { waitLinks, type WaitLink } from '../model/waitFor.js';
import type { Problem } from '../properties/invariant.js';
import { runFailure } from './runFailure.js';

/**
 * A fair loop with work pending: the steps after step index `from` up to index `to` repeat forever.
 * Reports number steps from 1 (index n is step n + 1), and so do the witness and the text.
 */
export function livelock(s: State, from: number, to: number): Problem {
  const first = from + 2;
  const last = to + 1;
  const starved = starvedOfCpu(s, (a) => canRun(s, a));
  if (starved.length > 0) return lockup(s, starved, first, last, to);
  return {
    kind: 'livelock',
    ...runFailure('forward-progress', to),
    witness: { k: 'lasso', from: first, to: last },
    waits: waitLinks(s),
  };
}

const link = (a: Activity, waits: string, on: readonly Activity[]): WaitLink => ({
  act: a.id,
  agent: a.agent,
  op: a.op,
  holds: [...a.held],
  waits,
  on: on.map((x) => x.id),
  onAgents: on.map((x) => x.agent),
  role: 'held by',
});

function lockup(s: State, starved: Activity[], first: number, last: number, to: number): Problem {
  const model = preemptModel(s.cfg);
  const cycle: WaitLink[] = [];
  for (const a of starved) {
    // Work bound to a CPU waits for that one; other work for any, and every CPU is kept.
    const cpus = a.bound >= 0 ? [a.bound] : Array.from({ length: s.cfg.cpus ?? 0 }, (_, c) => c);
    const where =
      a.bound >= 0 ? `CPU ${a.bound} (per-CPU work queued there)` : `a CPU (all ${s.cfg.cpus ?? 0} kept)`;
    const holders = cpus.map((c) => [c, holderOf(s, c)] as const);
    cycle.push(
      link(
        a,
        where,
        holders.map(([, h]) => h).filter((h): h is Activity => h !== undefined),
      ),
    );
    for (const [cpu, holder] of holders)
      if (holder && !cycle.some((l) => l.act === holder.id))
        cycle.push(
          link(
            holder,
            `keeps CPU ${cpu}: loops with no preemption point PREEMPT_${model.toUpperCase()} honours`,
            [],
          ),
        );
  }
  return {
    kind: 'lockup',
    ...runFailure('no-lockup', to),
    witness: { k: 'lasso', from: first, to: last, cpus: cycle },
    preempt: model,
    cpus: s.cfg.cpus ?? 0,
  };
}
