// Runs one program against a driver: each agent (CPU thread, GPU queue) executes its operations in
// order; wherever more than one activity can run, the program's schedule picks which. After every
// step the invariants are checked. Deterministic: the same program gives the same run.
import type { Driver } from '../model/driver.js';
import { cpuFor, starvedOfCpu } from '../model/cpus.js';
import { canRun, initialState, procTable, spawn, stepActivity, type StepOutcome } from '../model/engine.js';
import type { Event } from '../model/events.js';
import { agentOf } from '../model/kernel/ops.js';
import type { Env, Proc } from '../model/proc.js';
import type { Program } from '../model/program.js';
import type { Activity, State } from '../model/types.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { primeLockdep } from '../model/lockdep/primeLockdep.js';
import type { Invariant, Problem } from '../properties/invariant.js';
import { ALL_REGIONS, touched } from '../model/touched.js';
import { Judge } from './Judge.js';
import { LockOrder } from './LockOrder.js';
import { livelock } from './livelock.js';
import { stepFailure } from './stepFailure.js';
import { FairChoice } from './FairChoice.js';
import { LASSO_FROM, LassoWatch } from './LassoWatch.js';

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
  stats: ReadonlyMap<string, number>;
  /** The choices the consumed schedule entries made (entry mod the number of runnable activities). */
  choices: number[];
  /** The lock-class dependencies lockdep recorded (and was primed with). */
  lockEdges: Map<string, LockEdge>;
  /** The run reached maxSteps with work pending and no fair loop: liveness undecided. */
  undecided: boolean;
  /** A step took a path the model does not cover (ThpNotModelled): the run's verdict is unknown. */
  notModelled: string | null;
}

export interface ExecOptions {
  trace?: boolean;
  invariants?: readonly Invariant[];
  /**
   * Scheduler steps the run may take. A run that reaches it without finishing and without a fair
   * loop (LassoWatch) ends with `undecided` set: liveness was not decided, nothing broke.
   */
  maxSteps?: number;
  /** Check the lock-class dependencies for cycles after every step (default true). */
  lockdep?: boolean;
  /** Start from dma_resv_lockdep()'s boot-time dependencies (default true). */
  primeLockdep?: boolean;
  /**
   * Chooses among the candidates (their operation indices, in the executor's order) wherever there
   * is more than one, instead of the program's schedule; `choices` then is the schedule that
   * reproduces the run (the shrinker uses it to keep an interleaving while it drops operations).
   */
  pick?: (candidateOps: readonly number[], step: number) => number;
  /** The step from which states are watched for a lasso (default: 0 with `trace`, else LASSO_FROM). */
  lassoFrom?: number;
  /**
   * Called after every step with the state, the step's events and the regions it wrote (before
   * the invariants are checked): the cost counter of `svmcheck compare` (model/costs) reads it.
   */
  observe?: (s: State, events: readonly Event[], written: number) => void;
  /**
   * The phase of each program operation: an operation starts only once every operation of an
   * earlier phase has finished — a program's synchronisation (a GPU kernel launched after the CPU
   * work that feeds it, the CPU waiting for the kernel). Absent: no barriers.
   */
  phases?: readonly number[];
}

/** Where spawned work sorts among the candidates (after every program operation); `pick` sees it. */
export const SPAWNED_ORDER = 1 << 30;
/** Candidate keys for fairness: an unstarted operation is its index, an activity ACT_KEY + its id. */
const ACT_KEY = 1 << 24;

interface Candidate {
  /** Index into the program's agents; -1 for spawned work (its activity names the agent). */
  agent: number;
  op: number;
  act: Activity | null;
}

const tables = new WeakMap<Driver, Map<string, Proc>>();

// Statistics keys per operation kind, built once (a template string per started operation showed
// up in profiles).
const opStatKeys = new Map<string, string>();
const opStatKey = (kind: string): string => {
  let k = opStatKeys.get(kind);
  if (k === undefined) opStatKeys.set(kind, (k = `op ${kind}`));
  return k;
};

export function execute(driver: Driver, program: Program, opts: ExecOptions = {}): ExecResult {
  let procs = tables.get(driver);
  if (!procs) {
    procs = procTable(driver);
    tables.set(driver, procs);
  }
  const s = initialState(program.config, driver);
  const stats = new Map<string, number>();
  const env: Env = {
    s,
    act: null as unknown as Activity,
    events: [],
    stats,
    faults: program.faults,
    procs,
    drv: driver,
    lockEdges: new Map(),
    step: 0,
  };
  const lockdep = opts.lockdep ?? true;
  if (lockdep && (opts.primeLockdep ?? true)) primeLockdep(env.lockEdges);
  const lockOrder = new LockOrder();
  let knownEdges = env.lockEdges.size;
  const judge = new Judge(driver, opts.invariants);
  const maxSteps = opts.maxSteps ?? 1000 + 100 * program.ops.length;
  const fairChoice = new FairChoice();
  // A traced run is one that will be shown: it watches from step 0, so that a livelock's loop is
  // reported from its first turn, once. The loop is the same; only where it is first seen differs.
  const lassoFrom = opts.lassoFrom ?? (opts.trace ? 0 : LASSO_FROM);
  let lasso: LassoWatch | null = null;
  let keys: number[] = [];
  let noCpu: number[] = [];
  let undecided = false;
  let notModelled: string | null = null;
  const gpus = program.config.gpus.length;

  // Per agent (by index): its operations in program order, how many have started, and the
  // running activity. Arrays and a reused candidate list: this loop runs once per model step.
  const agents: string[] = [];
  const queue: number[][] = [];
  program.ops.forEach((op, i) => {
    const a = agentOf(op, gpus);
    let k = agents.indexOf(a);
    if (k < 0) {
      k = agents.length;
      agents.push(a);
      queue.push([]);
    }
    queue[k]?.push(i);
  });
  const started = agents.map(() => 0);
  // Barriers: operations not finished per phase, and the lowest phase with one left.
  const phases = opts.phases;
  const unfinished: number[] = [];
  if (phases) for (const ph of phases) unfinished[ph] = (unfinished[ph] ?? 0) + 1;
  let gate = 0;
  const advanceGate = (): void => {
    while (gate < unfinished.length && !unfinished[gate]) gate++;
  };
  advanceGate();
  const running: (Activity | null)[] = agents.map(() => null);
  const trace: TraceStep[] = [];
  let sched = 0;
  const choices: number[] = [];
  let violation: Problem | null = null;
  let n = 0;
  const cands: Candidate[] = [];
  let count = 0;
  const offer = (agent: number, op: number, act: Activity | null): void => {
    // Insertion in op order (every candidate's op is distinct): the schedule's choice indexes it.
    let c = cands[count];
    if (!c) cands.push((c = { agent: 0, op: 0, act: null }));
    let j = count++;
    while (j > 0 && (cands[j - 1] as Candidate).op > op) {
      cands[j] = cands[j - 1] as Candidate;
      j--;
    }
    cands[j] = c;
    c.agent = agent;
    c.op = op;
    c.act = act;
  };

  for (; ; n++) {
    count = 0;
    let pending = false;
    for (let a = 0; a < agents.length; a++) {
      const act = running[a] ?? null;
      if (act) {
        pending = true;
        if (canRun(s, act) && cpuFor(s, act) >= 0) offer(a, act.op, act);
        continue;
      }
      const queued = queue[a]?.[started[a] ?? 0];
      // Barriers (opts.phases): an operation of a later phase than the gate's waits.
      const next = phases && queued !== undefined && (phases[queued] ?? 0) > gate ? undefined : queued;
      // A new operation needs a CPU like a running one (model/cpus.ts: none is free while all are kept).
      if (next !== undefined && cpuFor(s, null) >= 0) offer(a, next, null);
    }
    // Work the kernel spawned (deferred work, restore work, eviction) runs after program activities by default.
    for (const act of s.acts) {
      if (act.op >= 0) continue;
      pending = true;
      if (canRun(s, act) && cpuFor(s, act) >= 0) offer(-1, SPAWNED_ORDER + act.id, act);
    }
    if (count === 0) {
      if (pending) violation = judge.deadlock(s, n);
      break;
    }
    if (n >= maxSteps) {
      undecided = true;
      stats.set(UNDECIDED, (stats.get(UNDECIDED) ?? 0) + 1);
      break;
    }
    const watching = n >= lassoFrom || (!opts.pick && sched >= program.schedule.length && count > 1);
    if (watching) {
      keys = [];
      for (let i = 0; i < count; i++) {
        const c = cands[i] as Candidate;
        keys.push(c.act ? ACT_KEY + c.act.id : c.op);
      }
      // Work that could run but has no CPU now (model/cpus.ts): fairness over CPUs is strong.
      noCpu = [];
      if (program.config.cpus !== undefined) {
        for (const act of starvedOfCpu(s, (x) => canRun(s, x))) noCpu.push(ACT_KEY + act.id);
        // An operation not started yet waits for a CPU when none is free.
        if (cpuFor(s, null) < 0)
          for (let a = 0; a < agents.length; a++) {
            const next = running[a] ? undefined : queue[a]?.[started[a] ?? 0];
            if (next !== undefined) noCpu.push(next);
          }
      }
    }
    let pick: Candidate;
    if (count > 1 && opts.pick) {
      const c = opts.pick(
        cands.slice(0, count).map((x) => x.op),
        n,
      );
      if (!(c >= 0 && c < count)) throw new Error(`execute: pick chose ${c} of ${count} candidates`);
      choices.push(c);
      pick = cands[c] as Candidate;
    } else if (count > 1 && sched < program.schedule.length) {
      const c = (program.schedule[sched++] ?? 0) % count;
      choices.push(c);
      pick = cands[c] as Candidate;
    } else {
      let plain = 0;
      for (let i = 0; i < count; i++)
        if (!(cands[i] as Candidate).act?.spin) {
          plain = i;
          break;
        }
      pick = cands[count > 1 ? fairChoice.choose(keys, count, n, plain) : plain] as Candidate;
    }
    let act = pick.act;
    const agent = act ? act.agent : (agents[pick.agent] as string);
    if (!act) {
      started[pick.agent] = (started[pick.agent] ?? 0) + 1;
      const op = program.ops[pick.op];
      if (!op) throw new Error('execute: missing op');
      const key = opStatKey(op.op);
      stats.set(key, (stats.get(key) ?? 0) + 1);
      act = spawn(s, agent, pick.op, 'run_op', { op });
      running[pick.agent] = act;
    }
    env.events = [];
    env.step = n;
    touched.bits = 0;
    let outcome: StepOutcome;
    try {
      outcome = stepActivity(env, act);
    } catch (e) {
      const f = stepFailure(e, agent, n);
      if (f.k === 'problem') violation = f.problem;
      else notModelled = f.message;
      if (opts.trace) trace.push({ n, agent, op: act.op, outcome: 'done', events: env.events });
      break;
    }
    if (outcome === 'done' && act.op >= 0) {
      running[pick.agent] = null;
      if (phases) {
        const ph = phases[act.op] ?? 0;
        unfinished[ph] = (unfinished[ph] ?? 1) - 1;
        advanceGate();
      }
    }
    if (opts.trace) trace.push({ n, agent, op: act.op, outcome, events: env.events });
    opts.observe?.(s, env.events, touched.bits);
    // The first check sees a state no invariant has passed yet.
    violation = judge.step(s, env.events, n === 0 ? ALL_REGIONS : touched.bits, n);
    judge.settle(s);
    if (violation) break;
    if (lockdep && env.lockEdges.size > knownEdges) {
      violation = judge.lockdep(env.lockEdges, knownEdges, n, lockOrder);
      knownEdges = env.lockEdges.size;
      if (violation) break;
    }
    if (n >= lassoFrom) {
      lasso ??= new LassoWatch(program.config, driver, lockdep && (opts.primeLockdep ?? true));
      const pickKey = act.op >= 0 && pick.act === null ? pick.op : ACT_KEY + act.id;
      let startedOps = 0;
      for (const k of started) startedOps += k;
      const loop = lasso.observe(n, keys, pickKey, s, env.lockEdges, startedOps, noCpu);
      if (loop) {
        violation = livelock(s, loop.from, n);
        break;
      }
    }
  }
  // What a finished run must not leave is checked only on a run that finished.
  if (!violation && notModelled === null && !undecided) violation = judge.finished(s, n);
  return {
    violation,
    steps: n + (violation ? 1 : 0),
    trace,
    state: s,
    stats,
    choices,
    lockEdges: env.lockEdges,
    undecided,
    notModelled,
  };
}

export const UNDECIDED = 'liveness undecided (step budget reached, no repeating state)';
