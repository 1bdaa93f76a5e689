// Domain-aware shrinking on top of fast-check's: greedy passes that keep the same invariant
// failing while they drop operations (keeping the interleaving of the rest, then plainly), GPUs,
// schedule and fault entries and simplify operands.
// Deterministic, so the same failure always minimizes to the same counterexample.
import type { Driver } from '../model/driver.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import { execute, SPAWNED_ORDER, type ExecResult } from './execute.js';
import type { Invariant } from '../properties/invariant.js';

type InvariantsOpt = { invariants?: readonly Invariant[] };

const SIMPLER: ReadonlyArray<[string, unknown]> = [
  ['proc', 0],
  ['vma', 0],
  ['off', 0],
  ['on', 0],
  ['gpu', 0],
  ['len', 1],
  ['pages', 1],
  ['shared', false],
  ['prot', 'rw'],
];

/**
 * The program without operation i, with the schedule that makes the remaining operations' steps
 * run in the order they ran before: dropping an operation usually shifts every later schedule
 * choice (they index the runnable candidates), and this keeps the interleaving instead.
 */
export function dropKeepingInterleaving(
  driver: Driver,
  p: Program,
  i: number,
  order: readonly number[],
  inv: InvariantsOpt,
): Program {
  const want = order.filter((op) => op !== i).map((op) => (op > i ? op - 1 : op));
  const q: Program = { ...p, ops: p.ops.filter((_, j) => j !== i), schedule: [] };
  const run = execute(driver, q, { ...inv, pick: (cands, step) => keepPick(cands, want[step]) });
  return { ...q, schedule: run.choices };
}

/**
 * The candidate that runs what ran at this step before: the same operation's activity, or kernel
 * work (spawned activities come last in the candidates, op -1 in the trace: the oldest is taken).
 * Never another activity in their place: when the wanted one is not runnable, the first candidate.
 */
export function keepPick(cands: readonly number[], want: number | undefined): number {
  if (want === undefined) return 0;
  if (want < 0) {
    const k = cands.findIndex((c) => c >= SPAWNED_ORDER);
    return Math.max(0, k);
  }
  return Math.max(0, cands.indexOf(want));
}

function* candidates(driver: Driver, p: Program, inv: InvariantsOpt): Generator<Program> {
  const order = execute(driver, p, { ...inv, trace: true }).trace.map((t) => t.op);
  for (let i = p.ops.length - 1; i >= 0; i--) yield dropKeepingInterleaving(driver, p, i, order, inv);
  yield* plainCandidates(p);
}

function plainCandidates(p: Program): Program[] {
  const out: Program[] = [];
  for (let i = p.ops.length - 1; i >= 0; i--) out.push({ ...p, ops: p.ops.filter((_, j) => j !== i) });
  for (let g = p.config.gpus.length - 1; g >= 1; g--)
    out.push({ ...p, config: { ...p.config, gpus: p.config.gpus.filter((_, j) => j !== g) } });
  for (let i = p.schedule.length - 1; i >= 0; i--)
    out.push({ ...p, schedule: p.schedule.filter((_, j) => j !== i) });
  p.schedule.forEach((c, i) => {
    if (c > 0) out.push({ ...p, schedule: p.schedule.map((x, j) => (j === i ? c - 1 : x)) });
  });
  for (let i = p.faults.length - 1; i >= 0; i--)
    out.push({ ...p, faults: p.faults.filter((_, j) => j !== i) });
  p.faults.forEach((f, i) => {
    for (let b = 0; b < 16; b++)
      if ((f >> b) & 1) out.push({ ...p, faults: p.faults.map((x, j) => (j === i ? x & ~(1 << b) : x)) });
  });
  p.ops.forEach((op, i) => {
    for (const [k, v] of SIMPLER) {
      const cur = (op as Record<string, unknown>)[k];
      if (cur === undefined || cur === v) continue;
      const simpler = { ...op, [k]: v } as Op;
      out.push({ ...p, ops: p.ops.map((x, j) => (j === i ? simpler : x)) });
    }
  });
  p.config.gpus.forEach((g, i) => {
    const gpus = (x: Partial<typeof g>) => p.config.gpus.map((y, j) => (j === i ? { ...y, ...x } : y));
    if (g.mem === 'coherent') out.push({ ...p, config: { ...p.config, gpus: gpus({ mem: 'private' }) } });
    if (g.hive !== 0) out.push({ ...p, config: { ...p.config, gpus: gpus({ hive: 0 }) } });
    if (g.vram > 1)
      out.push({
        ...p,
        config: {
          ...p.config,
          gpus: p.config.gpus.map((x, j) => (j === i ? { ...x, vram: x.vram - 1 } : x)),
        },
      });
  });
  return out;
}

export interface MinimizeResult {
  program: Program;
  attempts: number;
}

/**
 * Shrinks while the same invariant keeps failing and, if given, `keep` keeps holding of the run
 * (e.g. "the counterexample still contains a partial migration").
 */
export function minimize(
  driver: Driver,
  program: Program,
  invariant: string,
  maxAttempts = 20_000,
  keep?: (r: ExecResult) => boolean,
  /** Date.now() after which no further candidate is tried (a --time budget's shrink bound). */
  deadline = Infinity,
  /** The invariants the runs check (default: all of them). */
  invariants?: readonly Invariant[],
): MinimizeResult {
  const inv: InvariantsOpt = invariants ? { invariants } : {};
  const fails = (p: Program): boolean => {
    const r = execute(driver, p, keep ? { ...inv, trace: true } : inv);
    return r.violation?.invariant === invariant && (!keep || keep(r));
  };
  let best = program;
  let attempts = 0;
  // The schedule as the choices it really made: unused entries dropped, each entry reduced modulo.
  const trim = (p: Program): Program => ({ ...p, schedule: execute(driver, p, inv).choices });
  best = trim(best);
  for (let progress = true; progress && attempts < maxAttempts && Date.now() <= deadline;) {
    progress = false;
    for (const c of candidates(driver, best, inv)) {
      attempts++;
      if (fails(c)) {
        best = trim(c);
        progress = true;
        break;
      }
      if (attempts >= maxAttempts || Date.now() > deadline) break;
    }
  }
  return { program: best, attempts };
}
