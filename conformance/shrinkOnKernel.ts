// Shrinks disagreements against the real kernel by batched re-runs: every round, all one-change
// variants of every failing program go into a single boot; a variant that still shows one of the
// program's disagreement kinds replaces it if it is smaller. One program per set of kinds is shrunk.
// The result keeps both observation lists, ready to be archived.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareRun, type Disagreement, type KernelRun } from './compareRun.js';
import type { Kernel } from './kernelScripts.js';
import type { ConfProgram } from './program.js';
import { runOnKernel, type KernelStats, type Outcome } from './runOnKernel.js';
import { endsBoot, runOnModel, type ModelRun } from './runOnModel.js';
import { shrinkCandidates, size } from './shrinkCandidates.js';
import { toConformanceFile } from './toConformanceFile.js';

export interface Counterexample {
  originalId: number;
  kinds: string[];
  program: ConfProgram;
  model: ModelRun;
  kernel: KernelRun;
  disagreements: Disagreement[];
  rounds: number;
  file: string;
}

const MAX_SHRUNK = 5;
const MAX_ROUNDS = 12;

export async function shrinkOnKernel(
  k: Kernel,
  failing: readonly Outcome[],
  o: {
    batch: number;
    seed: number;
    workDir: string;
    log: (l: string) => void;
    stats: KernelStats;
  },
): Promise<Counterexample[]> {
  const bySig = new Map<string, Outcome>();
  for (const f of failing) {
    const sig = [...new Set(f.verdict.disagreements.map((d) => d.kind))].sort().join(' | ');
    if (!bySig.has(sig) && bySig.size < MAX_SHRUNK) bySig.set(sig, f);
  }
  const work = [...bySig.values()].map((f) => ({
    best: f,
    kinds: new Set(f.verdict.disagreements.map((d) => d.kind)),
    rounds: 0,
    done: false,
  }));
  let nextId = 1_000_000;
  for (let round = 0; round < MAX_ROUNDS && work.some((w) => !w.done); round++) {
    const cands: Array<{ w: (typeof work)[number]; p: ConfProgram; m: ModelRun }> = [];
    for (const w of work) {
      if (w.done) continue;
      const crash = endsBoot(w.best.model);
      for (const steps of shrinkCandidates(w.best.program)) {
        const p = { id: nextId++, steps };
        const m = runOnModel(p, k.version);
        // A variant predicted to take the guest down is only worth it when the original was one.
        if (!crash && endsBoot(m)) continue;
        cands.push({ w, p, m });
      }
    }
    if (!cands.length) break;
    const normal = cands.filter((c) => !endsBoot(c.m)).map((c) => c.p);
    const crashers = cands.filter((c) => endsBoot(c.m)).map((c) => c.p);
    const runs = await runOnKernel(k, normal, crashers, { ...o, tag: `shrink${round}` }, o.stats);
    for (const w of work) {
      if (w.done) continue;
      let improved = false;
      for (const c of cands) {
        if (c.w !== w) continue;
        const kr = runs.get(c.p.id);
        if (!kr) continue;
        const v = compareRun(c.m, kr);
        if (!v.disagreements.some((d) => w.kinds.has(d.kind))) continue;
        if (size(c.p) < size(w.best.program)) {
          w.best = { program: c.p, model: c.m, kernel: kr, verdict: v };
          improved = true;
        }
      }
      w.rounds++;
      if (!improved) w.done = true;
    }
    o.log(
      `shrink round ${round + 1}: ${cands.length} variants, ${work.filter((w) => !w.done).length} still shrinking`,
    );
  }
  const dir = join(o.workDir, 'counterexamples');
  mkdirSync(dir, { recursive: true });
  return work.map((w, i) => {
    const file = join(dir, `disagreement-${i + 1}.json`);
    const cx: Counterexample = {
      originalId: [...bySig.values()][i]?.program.id ?? -1,
      kinds: [...w.kinds].sort(),
      program: w.best.program,
      model: w.best.model,
      kernel: w.best.kernel,
      disagreements: w.best.verdict.disagreements,
      rounds: w.rounds,
      file,
    };
    const archived = toConformanceFile(w.best, { seed: o.seed, kernel: o.stats.release });
    writeFileSync(file, `${JSON.stringify(archived, null, 2)}\n`);
    return cx;
  });
}
