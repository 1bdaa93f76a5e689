// The explorer's transition relation over model states: (a) start an operation from the scope's
// alphabet on an idle agent (a CPU thread or GPU queue), (b) step a runnable activity (a program
// operation's, or work the kernel spawned: kworkers, GPU jobs); either runs to the next preemption
// point, exactly as the program executor does. Every migrate_vma call's fault-stream entry is an
// explicit choice among the scope's fault values (see faultValues()).
import type { Driver } from '../model/driver.js';
import { cpuFor, starvedOfCpu } from '../model/cpus.js';
import { canRun, initialState, procTable, spawn, stepActivity } from '../model/engine.js';
import type { Event } from '../model/events.js';
import { agentOf, resolutionKey, resolveOp } from '../model/kernel/ops.js';
import type { Op } from '../model/ops.js';
import type { Env } from '../model/proc.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { primeLockdep } from '../model/lockdep/primeLockdep.js';
import type { Activity, State } from '../model/types.js';
import { opAlphabet } from './opAlphabet.js';
import type { Scope } from './scope.js';
import { touched } from '../model/touched.js';

/**
 * One transition: the alphabet index of the operation it starts on its agent (`agent`: index into
 * Transitions.agents), or -1 to step the activity whose id is `agent`; and the fault choices.
 */
export interface Move {
  agent: number;
  op: number;
  /** Values of the fault-stream entries the step consumed, in order (missing entries are 0). */
  faults: readonly number[];
}

export interface Applied {
  s: State;
  events: Event[];
  /** Fault-stream entries the step consumed. */
  consumed: number;
  /** Per consumed entry, the bits its reader looked at. */
  masks: number[];
  /** What the step threw (a predicted kernel failure, a path not modelled, or a tool error), or null. */
  thrown: { e: unknown } | null;
  /** The state regions the step wrote (model/touched.ts). */
  written: number;
  /** The activity the step stepped (the only one it can change). */
  stepped: number;
}

/**
 * The fault values tried at each migrate_vma call: none, every non-empty set of the first
 * faultPages pages busy in migrate_vma_setup (bits 0-7), and every such set failed by
 * migrate_vma_pages (bits 8-15). Each call reads one entry and only its own half of the bits.
 */
function faultValues(faultPages: number): number[] {
  const out = [0];
  const sets = (1 << Math.min(faultPages, 8)) - 1;
  for (let m = 1; m <= sets; m++) out.push(m);
  for (let m = 1; m <= sets; m++) out.push(m << 8);
  return out;
}

export class Transitions {
  readonly agents: readonly string[];
  readonly agentIndex: ReadonlyMap<string, number>;
  readonly alphabet: readonly Op[];
  readonly faults: readonly number[];
  /** Per alphabet op: the agent that issues it and the GPU it names (-1 for none). */
  private readonly opAgent: Int32Array;
  readonly opGpu: Int32Array;
  /** Per GPU: the lowest GPU with an identical configuration (interchangeable ones share it). */
  readonly gpuClass: readonly number[];
  private readonly threads: number;
  private readonly env: Env;
  /** lockdep's boot-time dependencies (dma_resv_lockdep()), the start of every path's edge set. */
  readonly primed: ReadonlyMap<string, LockEdge>;
  /** Startable alphabet ops, deduplicated by what they resolve to, per resolution-relevant layout. */
  private readonly memo = new Map<string, Int32Array>();

  constructor(
    readonly driver: Driver,
    readonly scope: Scope,
  ) {
    const gpus = scope.config.gpus.length;
    this.threads = scope.threads;
    this.agents = [
      ...Array.from({ length: scope.threads }, (_, i) => `cpu${i}`),
      ...Array.from({ length: gpus }, (_, i) => `gpu${i}`),
    ];
    this.agentIndex = new Map(this.agents.map((a, i) => [a, i]));
    this.alphabet = opAlphabet(scope);
    this.opAgent = Int32Array.from(this.alphabet, (op) => this.agentIndex.get(agentOf(op, gpus)) ?? -1);
    this.opGpu = Int32Array.from(this.alphabet, (op) => ('gpu' in op ? op.gpu % gpus : -1));
    // GPU symmetry is off: every GPU is its own class. Drivers on this model keep GPU indices in
    // plain data the codec cannot renumber (per-GPU arrays in State.drv, svm attribute bitmaps and
    // preferred/prefetch locations in State.uapi, jobs and BOs in State.sync) and some pick GPUs in
    // index order (eviction, first GPU with room), so identical GPUs are not interchangeable.
    this.gpuClass = scope.config.gpus.map((_, i) => i);
    const primed = new Map<string, LockEdge>();
    primeLockdep(primed);
    this.primed = primed;
    this.faults = faultValues(scope.faultPages);
    this.env = {
      s: initialState(scope.config, driver),
      act: null as unknown as Activity,
      events: [],
      stats: new Map(),
      faults: [],
      procs: procTable(driver),
      drv: driver,
      lockEdges: new Map(),
      step: 0,
    };
  }

  initial(): State {
    return initialState(this.scope.config, this.driver);
  }

  /**
   * Applies a move to the state and the path's lock-class dependencies, in place; fault entries
   * past `faults` read 0. `step` is the scheduler step (the depth), as the executor numbers it.
   * `spy`: the State fields the step itself reads (and `=field` those it assigns) are added to it.
   */
  apply(
    s: State,
    edges: Map<string, LockEdge>,
    agent: number,
    op: number,
    faults: readonly number[],
    step: number,
    spy: Set<string> | null = null,
  ): Applied {
    s.faultIdx = 0;
    const env = this.env;
    let act: Activity | undefined;
    if (op >= 0) act = spawn(s, this.agents[agent] as string, op, 'run_op', { op: this.alphabet[op] });
    else for (const a of s.acts) if (a.id === agent) act = a;
    if (!act) throw new Error(`explore: no activity ${agent}`);
    env.s = spy ? spied(s, spy) : s;
    env.events = [];
    env.faults = faults;
    env.lockEdges = edges;
    env.step = step;
    const masks: number[] = [];
    env.faultReads = masks;
    let thrown: { e: unknown } | null = null;
    touched.bits = 0;
    try {
      stepActivity(env, act);
    } catch (e) {
      thrown = { e };
    }
    return {
      s,
      events: env.events,
      consumed: s.faultIdx,
      masks,
      thrown,
      written: touched.bits,
      stepped: act.id,
    };
  }

  /** The agent name of the activity a move steps or starts (for messages). */
  agentName(s: State, agent: number, op: number): string {
    if (op >= 0) return this.agents[agent] ?? '?';
    return s.acts.find((a) => a.id === agent)?.agent ?? '?';
  }

  /** The fault values that differ from 0 in a bit the reader looked at (the others act exactly as 0). */
  alternatives(observed: number): number[] {
    return this.faults.filter((v) => (v & observed) !== 0);
  }

  /** Ids of the activities that could run but have no CPU (model/cpus.ts). */
  waitingForCpu(s: State): number[] {
    return starvedOfCpu(s, (a) => canRun(s, a)).map((a) => a.id);
  }

  /** Ids of the runnable activities, in activity order. */
  runnable(s: State): number[] {
    const out: number[] = [];
    for (const a of s.acts) if (canRun(s, a) && cpuFor(s, a) >= 0) out.push(a.id);
    return out;
  }

  /**
   * Alphabet ops that can start now, in alphabet order. With symmetry: CPU operations only on the
   * lowest idle thread, and an operation naming a GPU not named before only when it is the lowest
   * such GPU of its configuration (see README "Explorer").
   */
  startable(s: State, named: number, symmetry: boolean): number[] {
    let busy = 0;
    // Program agents run one operation at a time; spawned work (other agent names) does not occupy them.
    for (const a of s.acts) if (a.op >= 0) busy |= 1 << (this.agentIndex.get(a.agent) ?? 31);
    let firstIdleThread = -1;
    for (let t = 0; t < this.threads; t++)
      if (!(busy & (1 << t))) {
        firstIdleThread = t;
        break;
      }
    const out: number[] = [];
    // A new operation needs a free CPU (model/cpus.ts).
    if (cpuFor(s, null) < 0) return out;
    for (const i of this.distinct(s)) {
      const agent = this.opAgent[i] as number;
      if (busy & (1 << agent)) continue;
      if (symmetry) {
        if (agent < this.threads && agent !== firstIdleThread) continue;
        const g = this.opGpu[i] as number;
        if (g >= 0 && !(named & (1 << g)) && !this.lowestUnnamed(g, named)) continue;
      }
      out.push(i);
    }
    return out;
  }

  agentOfOp(op: number): number {
    return this.opAgent[op] as number;
  }

  private lowestUnnamed(g: number, named: number): boolean {
    const cls = this.gpuClass[g];
    for (let j = 0; j < g; j++) if (this.gpuClass[j] === cls && !(named & (1 << j))) return false;
    return true;
  }

  /** One alphabet op per (agent, resolved kernel call), dropping those that resolve to nothing. */
  private distinct(s: State): Int32Array {
    const sig = resolutionKey(s);
    let ops = this.memo.get(sig);
    if (ops) return ops;
    const seen = new Set<string>();
    const keep: number[] = [];
    this.alphabet.forEach((op, i) => {
      const r = resolveOp(s, op);
      if (typeof r === 'string') return;
      const key = `${this.opAgent[i]}|${r.fn}|${JSON.stringify(r.args)}`;
      if (seen.has(key)) return;
      seen.add(key);
      keep.push(i);
    });
    ops = Int32Array.from(keep);
    this.memo.set(sig, ops);
    return ops;
  }
}

/**
 * The state as a step sees it, recording into `into` each top-level field the step reads, and
 * `=field` for one it assigns (explore/localStep.ts).
 */
function spied(s: State, into: Set<string>): State {
  return new Proxy(s, {
    get(t, k, r) {
      if (typeof k === 'string') into.add(k);
      return Reflect.get(t, k, r) as unknown;
    },
    set(t, k, v, r) {
      if (typeof k === 'string') into.add(`=${k}`);
      return Reflect.set(t, k, v, r);
    },
  });
}
