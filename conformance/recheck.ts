// Compares saved boots again against the current model, without a VM: every "<tag>.programs" with
// its "<tag>.serial" in a work directory (what a conformance run leaves behind). This is how a model
// fix is checked against the kernel behaviour that prompted it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRun, type Disagreement } from './compareRun.js';
import { parsePrograms } from './parsePrograms.js';
import { parseSerial } from './parseSerial.js';
import { runOnModel } from './runOnModel.js';
import { splitRuns } from './splitRuns.js';
import type { KernelVersion } from '../model/kernelVersion.js';

export interface Recheck {
  boots: number;
  programs: number;
  agreeing: number;
  observations: number;
  byKind: Record<string, number>;
  examples: Array<{ boot: string; id: number; disagreements: Disagreement[] }>;
}

/** `kernel`: the release the saved boots ran on (the model follows its rules). */
export function recheck(dir: string, kernel: KernelVersion, maxExamples = 10): Recheck {
  const out: Recheck = { boots: 0, programs: 0, agreeing: 0, observations: 0, byKind: {}, examples: [] };
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.programs')) continue;
    const tag = f.slice(0, -'.programs'.length);
    const serial = join(dir, `${tag}.serial`);
    if (!existsSync(serial)) continue;
    out.boots++;
    const programs = parsePrograms(join(dir, f), readFileSync(join(dir, f), 'utf8'));
    const { runs } = splitRuns(parseSerial(readFileSync(serial, 'utf8')), programs);
    for (const p of programs) {
      const kr = runs.get(p.id);
      if (!kr) continue;
      out.programs++;
      const v = compareRun(runOnModel(p, kernel), kr);
      out.observations += v.compared;
      if (!v.disagreements.length) out.agreeing++;
      else if (out.examples.length < maxExamples)
        out.examples.push({ boot: tag, id: p.id, disagreements: v.disagreements });
      for (const d of v.disagreements) out.byKind[d.kind] = (out.byKind[d.kind] ?? 0) + 1;
    }
  }
  return out;
}
