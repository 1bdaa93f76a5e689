// The conformance run: generate programs, predict each on the model, run them on the real kernel
// in as few boots as the guest allows, and compare. Programs the model predicts to crash the kernel
// (oops, hang) each take a guest down, so one goes last in a boot, as many as there are boots; the
// rest are counted as not run. Programs lost to an unexpected crash are run again in the next boot.
// Disagreements are shrunk by batched re-runs (shrinkOnKernel) and written as counterexample files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRun } from './compareRun.js';
import { ensureKernel } from './kernelScripts.js';
import type { KernelEvent } from './parseSerial.js';
import type { ConfProgram } from './program.js';
import { generatePrograms } from './programArb.js';
import { runOnKernel, type Outcome } from './runOnKernel.js';
import { endsBoot, runOnModel } from './runOnModel.js';
import { shrinkOnKernel, type Counterexample } from './shrinkOnKernel.js';
import { toConformanceFile } from './toConformanceFile.js';
import type { ConformanceKernel } from './kernelVersions.js';

export interface ConformanceOptions {
  /** The release built, booted, and followed by the model. */
  kernel: ConformanceKernel;
  programs: number;
  seed: number;
  /** Programs to run instead of generated ones (a runner programs file). */
  given?: ConfProgram[];
  /** Write every compared program as an archive file into this directory. */
  record?: string;
  /** Programs per boot. */
  batch: number;
  /** Predicted hangs to verify (each costs the silence timeout). */
  hangChecks: number;
  shrink: boolean;
  workDir: string;
  log: (line: string) => void;
}

export interface ConformanceResult {
  kernel: string;
  seed: number;
  programs: number;
  run: number;
  agreeing: number;
  steps: number;
  observations: number;
  disagreeingObservations: number;
  byKind: Record<string, number>;
  crashes: { predicted: number; run: number; agreeing: number };
  notRun: number;
  boots: number;
  guestSeconds: number;
  kernelBuildSeconds: number;
  stray: KernelEvent[];
  counterexamples: Counterexample[];
}

export async function runConformance(o: ConformanceOptions): Promise<ConformanceResult> {
  const k = await ensureKernel(o.kernel, o.log);
  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(o.workDir, { recursive: true });
  const programs = o.given ?? generatePrograms(o.programs, o.seed);
  const models = new Map(programs.map((p) => [p.id, runOnModel(p, o.kernel)]));
  const isLast = (p: ConfProgram): boolean => {
    const m = models.get(p.id);
    return !!m && endsBoot(m);
  };
  const normal = programs.filter((p) => !isLast(p));
  // Given programs all run; generated ones bring at most one boot-ending program per boot.
  const hangs = programs
    .filter((p) => models.get(p.id)?.end === 'hang')
    .slice(0, o.given ? undefined : o.hangChecks);
  const others = programs.filter((p) => isLast(p) && models.get(p.id)?.end !== 'hang');
  const boots = Math.max(1, Math.ceil(normal.length / o.batch));
  const crashers = o.given
    ? [...hangs, ...others]
    : [...hangs, ...others.slice(0, Math.max(0, boots - hangs.length))];
  const stats = { boots: 0, guestSeconds: 0, stray: [] as KernelEvent[], release: '' };
  const runs = await runOnKernel(k, normal, crashers, { ...o, tag: 'run' }, stats);

  const outcomes: Outcome[] = [];
  for (const p of programs) {
    const kr = runs.get(p.id);
    const m = models.get(p.id);
    if (kr && m) outcomes.push({ program: p, model: m, kernel: kr, verdict: compareRun(m, kr) });
  }
  const byKind: Record<string, number> = {};
  let observations = 0;
  let disagreeing = 0;
  let steps = 0;
  for (const x of outcomes) {
    observations += x.verdict.compared;
    steps += x.model.steps;
    disagreeing += x.verdict.disagreements.length;
    for (const d of x.verdict.disagreements) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  }
  const failing = outcomes.filter((x) => x.verdict.disagreements.length);
  if (o.record) {
    mkdirSync(o.record, { recursive: true });
    for (const x of outcomes)
      writeFileSync(
        join(o.record, `program-${x.program.id}.json`),
        `${JSON.stringify(toConformanceFile(x, { seed: o.seed, kernel: stats.release }), null, 2)}\n`,
      );
  }
  const crashRuns = outcomes.filter((x) => endsBoot(x.model));
  const counterexamples = o.shrink && failing.length ? await shrinkOnKernel(k, failing, { ...o, stats }) : [];
  return {
    kernel: stats.release,
    seed: o.seed,
    programs: programs.length,
    run: outcomes.length,
    agreeing: outcomes.length - failing.length,
    steps,
    observations,
    disagreeingObservations: disagreeing,
    byKind,
    crashes: {
      predicted: programs.filter(isLast).length,
      run: crashRuns.length,
      agreeing: crashRuns.filter((x) => !x.verdict.disagreements.length).length,
    },
    notRun: programs.length - outcomes.length,
    boots: stats.boots,
    guestSeconds: stats.guestSeconds,
    kernelBuildSeconds: k.seconds,
    stray: stats.stray,
    counterexamples,
  };
}
