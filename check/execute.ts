// Runs one program against a driver: each agent (CPU thread, GPU queue) executes its operations in
// order; wherever more than one activity can run, the program's schedule picks which. After every
// step the invariants are checked. Deterministic: the same program gives the same run.
import type { Driver } from '../model/driver.js';
import { canRun, initialState, procTable, spawn, stepActivity, type StepOutcome } from '../model/engine.js';
import type { Event } from '../model/events.js';
import { agentOf } from '../model/kernel/ops.js';
import type { Env, Proc } from '../model/proc.js';
import type { Program } from '../model/program.js';
import type { Activity, State } from '../model/types.js';
import { INVARIANTS } from '../properties/catalog.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import { describeWaits } from './describeWaits.js';
import { runFailure } from './runFailure.js';

export interface TraceStep {
  n: number;
  agent: string;
  /** Index of the program operation this step belongs to. */
  op: number;
  outcome: StepOutcome;
  events: Event[];
}

export interface ExecResult {
  violation: Problem | null;
  steps: number;
  trace: TraceStep[];
  state: State;
  /** Operations that started, by kind, and counters the model raised ("partial migration", ...). */
  stats: Record<string, number>;
  /** The choices the consumed schedule entries made (entry mod the number of runnable activities). */
  choices: number[];
}

export interface ExecOptions {
  trace?: boolean;
  invariants?: readonly Invariant[];
  /** Scheduler steps before the run counts as a livelock. */
  maxSteps?: number;
}

interface Candidate {
  agent: string;
  op: number;
  act: Activity | null;
}

const tables = new WeakMap<Driver, Map<string, Proc>>();

export function execute(driver: Driver, program: Program, opts: ExecOptions = {}): ExecResult {
  let procs = tables.get(driver);
  if (!procs) {
    procs = procTable(driver);
    tables.set(driver, procs);
  }
  const s = initialState(program.config, driver);
  const stats: Record<string, number> = {};
  const env: Env = {
    s,
    act: null as unknown as Activity,
    events: [],
    stats,
    faults: program.faults,
    procs,
    lockEdges: new Map(),
    step: 0,
  };
  const invariants = opts.invariants ?? INVARIANTS;
  const maxSteps = opts.maxSteps ?? 200 + 60 * program.ops.length;
  const gpus = program.config.gpus.length;

  // Per agent: its operations in program order, how many have started, and the running activity.
  const agents: string[] = [];
  const queue = new Map<string, number[]>();
  program.ops.forEach((op, i) => {
    const a = agentOf(op, gpus);
    if (!queue.has(a)) {
      queue.set(a, []);
      agents.push(a);
    }
    queue.get(a)?.push(i);
  });
  const started = new Map<string, number>(agents.map((a) => [a, 0]));
  const running = new Map<string, Activity | null>(agents.map((a) => [a, null]));
  const trace: TraceStep[] = [];
  let sched = 0;
  const choices: number[] = [];
  let violation: Problem | null = null;
  let n = 0;

  for (; ; n++) {
    const cands: Candidate[] = [];
    let pending = false;
    for (const a of agents) {
      const act = running.get(a) ?? null;
      if (act) {
        pending = true;
        if (canRun(s, act)) cands.push({ agent: a, op: act.op, act });
        continue;
      }
      const q = queue.get(a) ?? [];
      const k = started.get(a) ?? 0;
      const next = q[k];
      if (next !== undefined) cands.push({ agent: a, op: next, act: null });
    }
    if (cands.length === 0) {
      if (pending)
        violation = runFailure(
          'no-deadlock',
          n,
          'some activity can run',
          describeWaits(s),
          'deadlock: every remaining activity is blocked',
        );
      break;
    }
    if (n >= maxSteps) {
      violation = runFailure(
        'forward-progress',
        n,
        `the program ends within ${maxSteps} steps`,
        describeWaits(s),
        'livelock: activities keep retrying without finishing',
      );
      break;
    }
    cands.sort((x, y) => x.op - y.op);
    let pick: Candidate;
    if (cands.length > 1 && sched < program.schedule.length) {
      const c = (program.schedule[sched++] ?? 0) % cands.length;
      choices.push(c);
      pick = cands[c] as Candidate;
    } else {
      pick = cands.find((c) => !c.act?.spin) ?? (cands[0] as Candidate);
    }
    let act = pick.act;
    if (!act) {
      const k = started.get(pick.agent) ?? 0;
      started.set(pick.agent, k + 1);
      const op = program.ops[pick.op];
      if (!op) throw new Error('execute: missing op');
      stats[`op ${op.op}`] = (stats[`op ${op.op}`] ?? 0) + 1;
      act = spawn(s, pick.agent, pick.op, 'run_op', { op });
      running.set(pick.agent, act);
    }
    env.events = [];
    env.step = n;
    let outcome: StepOutcome;
    try {
      outcome = stepActivity(env, act);
    } catch (e) {
      violation = runFailure(
        'kernel-oops',
        n,
        'no kernel BUG',
        (e as Error).message,
        `kernel BUG in ${pick.agent}: ${(e as Error).message}`,
      );
      if (opts.trace) trace.push({ n, agent: pick.agent, op: pick.op, outcome: 'done', events: env.events });
      break;
    }
    if (outcome === 'done') running.set(pick.agent, null);
    if (opts.trace) trace.push({ n, agent: pick.agent, op: pick.op, outcome, events: env.events });
    for (const inv of invariants) {
      const f = inv.check(s, env.events);
      if (f) {
        violation = { code: 'invariant-violated', invariant: inv.id, cls: inv.cls, step: n, ...f };
        break;
      }
    }
    if (violation) break;
  }
  return { violation, steps: n + (violation ? 1 : 0), trace, state: s, stats, choices };
}
