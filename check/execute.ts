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
  /**
   * Chooses among the candidates (their operation indices, in the executor's order) wherever there
   * is more than one, instead of the program's schedule; `choices` then is the schedule that
   * reproduces the run (the shrinker uses it to keep an interleaving while it drops operations).
   */
  pick?: (candidateOps: readonly number[], step: number) => number;
}

const tables = new WeakMap<Driver, Map<string, Proc>>();

const statKeys = new Map<string, string>();
/** The statistics key of an operation kind, built once. */
function opStatKey(kind: string): string {
  let k = statKeys.get(kind);
  if (k === undefined) {
    k = `op ${kind}`;
    statKeys.set(kind, k);
  }
  return k;
}

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

  // Per agent (by first appearance): its operations in program order, how many have started, and
  // its running activity. Plain arrays indexed by agent: this loop runs once per scheduler step.
  const agents: string[] = [];
  const queue: number[][] = [];
  program.ops.forEach((op, i) => {
    const a = agentOf(op, gpus);
    let k = agents.indexOf(a);
    if (k < 0) {
      k = agents.push(a) - 1;
      queue.push([]);
    }
    queue[k]?.push(i);
  });
  const started = new Array<number>(agents.length).fill(0);
  const running = new Array<Activity | null>(agents.length).fill(null);
  const trace: TraceStep[] = [];
  let sched = 0;
  const choices: number[] = [];
  let violation: Problem | null = null;
  let n = 0;
  // Candidates of the current step, sorted by operation index: agent, operation, activity (null: start it).
  const cAgent: number[] = [];
  const cOp: number[] = [];
  const cAct: Array<Activity | null> = [];

  for (; ; n++) {
    let nc = 0;
    let pending = false;
    for (let a = 0; a < agents.length; a++) {
      const act = running[a] ?? null;
      let op: number;
      if (act) {
        pending = true;
        if (!canRun(s, act)) continue;
        op = act.op;
      } else {
        const next = queue[a]?.[started[a] as number];
        if (next === undefined) continue;
        op = next;
      }
      // Insertion by operation index (indices are distinct, so the order is total).
      let j = nc++;
      while (j > 0 && (cOp[j - 1] as number) > op) {
        cAgent[j] = cAgent[j - 1] as number;
        cOp[j] = cOp[j - 1] as number;
        cAct[j] = cAct[j - 1] ?? null;
        j--;
      }
      cAgent[j] = a;
      cOp[j] = op;
      cAct[j] = act;
    }
    if (nc === 0) {
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
    let c = 0;
    if (nc > 1 && opts.pick) {
      c = opts.pick(cOp.slice(0, nc), n);
      if (!(c >= 0 && c < nc)) throw new Error(`execute: pick chose ${c} of ${nc} candidates`);
      choices.push(c);
    } else if (nc > 1 && sched < program.schedule.length) {
      c = (program.schedule[sched++] ?? 0) % nc;
      choices.push(c);
    } else {
      // The first candidate that is not spinning in a retry loop, else the first.
      while (c < nc && cAct[c]?.spin) c++;
      if (c === nc) c = 0;
    }
    const agent = cAgent[c] as number;
    const pickOp = cOp[c] as number;
    const name = agents[agent] as string;
    let act = cAct[c] ?? null;
    if (!act) {
      started[agent] = (started[agent] as number) + 1;
      const op = program.ops[pickOp];
      if (!op) throw new Error('execute: missing op');
      const key = opStatKey(op.op);
      stats[key] = (stats[key] ?? 0) + 1;
      act = spawn(s, name, pickOp, 'run_op', { op });
      running[agent] = act;
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
        `kernel BUG in ${name}: ${(e as Error).message}`,
      );
      if (opts.trace) trace.push({ n, agent: name, op: pickOp, outcome: 'done', events: env.events });
      break;
    }
    if (outcome === 'done') running[agent] = null;
    if (opts.trace) trace.push({ n, agent: name, op: pickOp, outcome, events: env.events });
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
