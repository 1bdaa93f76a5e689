// Property-based check of one driver under one profile: fast-check generates programs, every run is
// executed against every invariant, and a failure is shrunk (fast-check, then minimize()) into a
// counterexample with everything needed to replay it.
import fc from 'fast-check';
import type { Driver } from '../model/driver.js';
import type { Program } from '../model/program.js';
import type { Problem } from '../properties/invariant.js';
import { programArb } from '../generators/programArb.js';
import type { Profile } from '../generators/profiles.js';
import { execute, type ExecResult, type TraceStep } from './execute.js';
import { minimize } from './minimize.js';
import { ToolError } from './stepFailure.js';
import { kernelFindingFor } from '../model/kernelFindings.js';
import { kernelOf } from '../model/kernelVersion.js';
import { openFindingFor } from '../model/openFinding.js';
import type { Invariant } from '../properties/invariant.js';

export interface CheckOptions {
  runs: number;
  seed: number;
  /** Wall-clock budget in milliseconds for generating runs (shrinking is not counted). */
  timeMs?: number;
  /** fast-check replay path (with the same seed): start from that counterexample. */
  path?: string;
  /** Date.now() from which no new run is executed: later runs are skipped and not counted. */
  stopAt?: number;
  /** Date.now() by which shrinking (fast-check's, then minimize's) ends with the smallest failure so far. */
  shrinkUntil?: number;
  /** The invariants checked (default: all of them), e.g. to look past one a driver is known to break. */
  invariants?: readonly Invariant[];
  /**
   * A run that one of the driver's open findings explains (Driver.openFindings: shipped upstream
   * behaviour, archived open, recognised by its predicate) is counted and tallied in `known` under
   * its case, not a failure, and the check goes on (soak: a long run must not end on the first
   * known bug). Any other violation, of the same invariant too, is a failure.
   */
  tolerateOpenFindings?: boolean;
  /**
   * Also tally, not fail, a run whose failure a known upstream bug of the program's kernel release
   * explains (model/kernelFindings.ts), under that bug's id.
   */
  tolerateKernelFindings?: boolean;
}

export interface Counterexample {
  program: Program;
  violation: Problem;
  trace: TraceStep[];
  /** fast-check's shrunk program, before domain-aware minimization. */
  fastCheckOps: number;
  fastCheckShrinks: number;
  minimizeAttempts: number;
  path: string;
  /** Set when the explorer found it: a shortest counterexample within the scope. */
  explored?: { scope: string; depth: number; distinct: number };
}

export interface CheckReport {
  driver: string;
  profile: string;
  seed: number;
  runs: number;
  steps: number;
  /** Summed counters over all runs. */
  stats: Record<string, number>;
  /** Number of runs in which each counter was non-zero. */
  runsWith: Record<string, number>;
  interrupted: boolean;
  /** Runs that took a path the model does not cover (ThpNotModelled): their verdict is unknown. */
  notModelled?: number;
  /** Runs an open finding (CheckOptions.tolerateOpenFindings) or known kernel bug explains, per case or bug id. */
  known?: Record<string, number>;
  failure: Counterexample | null;
  /** Milliseconds from the failing run to the end of minimization (a timing: never on stdout). */
  shrinkMs?: number;
}

export function checkDriver(driver: Driver, profile: Profile, opts: CheckOptions): CheckReport {
  const stats: Record<string, number> = {};
  const runsWith: Record<string, number> = {};
  let steps = 0;
  let collecting = true;
  let executed = 0;
  let skipped = false;
  let failedAt = -1;
  let toolError: ToolError | null = null;
  const inv = opts.invariants ? { invariants: opts.invariants } : {};
  let notModelled = 0;
  const known: Record<string, number> = {};
  /** What a tolerated failure is tallied as: the open finding's case or the kernel bug's id. */
  const knownBug = (p: Problem, program: Program, r: ExecResult): string | undefined => {
    const open = opts.tolerateOpenFindings
      ? openFindingFor(driver.openFindings, p, r.state, r.stats)
      : undefined;
    if (open !== undefined || !opts.tolerateKernelFindings) return open;
    return kernelFindingFor(kernelOf(program.config), p.invariant, r.state)?.id;
  };
  const prop = fc.property(programArb(profile), (program) => {
    // An error in svmcheck itself stops the check; it is thrown after fc.check, never shrunk.
    if (toolError) return true;
    // Past the budget no new run starts; shrinking a failure already found goes on.
    if (failedAt < 0 && opts.stopAt !== undefined && Date.now() >= opts.stopAt) {
      skipped = true;
      return true;
    }
    let r: ReturnType<typeof execute>;
    try {
      r = execute(driver, program, inv);
    } catch (e) {
      if (!(e instanceof ToolError)) throw e;
      e.program = program;
      toolError = e;
      return true;
    }
    const knownAs = r.violation ? knownBug(r.violation, program, r) : undefined;
    const violation = knownAs === undefined ? r.violation : null;
    if (knownAs !== undefined && collecting) known[knownAs] = (known[knownAs] ?? 0) + 1;
    if (violation && failedAt < 0) failedAt = Date.now();
    if (r.notModelled !== null && collecting) notModelled++;
    if (collecting) {
      executed++;
      steps += r.steps;
      for (const [k, v] of r.stats) {
        stats[k] = (stats[k] ?? 0) + v;
        runsWith[k] = (runsWith[k] ?? 0) + 1;
      }
    }
    if (violation) collecting = false;
    return violation === null;
  });
  const limits = [
    ...(opts.timeMs !== undefined ? [opts.timeMs] : []),
    ...(opts.shrinkUntil !== undefined ? [Math.max(1, opts.shrinkUntil - Date.now())] : []),
  ];
  const params: fc.Parameters<[Program]> = {
    numRuns: opts.runs,
    seed: opts.seed,
    ...(opts.path ? { path: opts.path } : {}),
    ...(limits.length ? { interruptAfterTimeLimit: Math.min(...limits), markInterruptAsFailure: false } : {}),
  };
  const details = fc.check(prop, params);
  if (toolError) throw toolError;
  const report: CheckReport = {
    driver: driver.name,
    profile: profile.name,
    seed: opts.seed,
    runs: skipped ? executed : details.numRuns,
    steps,
    stats,
    runsWith,
    interrupted: details.interrupted || skipped,
    notModelled,
    ...(Object.keys(known).length ? { known } : {}),
    failure: null,
  };
  if (!details.failed || !details.counterexample) return report;
  const shrunk = details.counterexample[0];
  const first = execute(driver, shrunk, inv).violation;
  if (!first) throw new Error('checkDriver: fast-check counterexample does not replay');
  // Shrinking keeps the failure unexplained: a smaller program that an open finding or known bug
  // explains is not the failure found.
  const tolerating = opts.tolerateOpenFindings || opts.tolerateKernelFindings;
  const unexplained = tolerating
    ? (r: ExecResult): boolean => !r.violation || knownBug(r.violation, shrunk, r) === undefined
    : undefined;
  const min = minimize(
    driver,
    shrunk,
    first.invariant,
    undefined,
    unexplained,
    opts.shrinkUntil,
    opts.invariants,
  );
  const final = execute(driver, min.program, { ...inv, trace: true });
  if (!final.violation) throw new Error('checkDriver: minimized counterexample does not replay');
  report.failure = {
    program: min.program,
    violation: final.violation,
    trace: final.trace,
    fastCheckOps: shrunk.ops.length,
    fastCheckShrinks: details.numShrinks,
    minimizeAttempts: min.attempts,
    path: details.counterexamplePath ?? '',
  };
  if (failedAt >= 0) report.shrinkMs = Date.now() - failedAt;
  return report;
}
