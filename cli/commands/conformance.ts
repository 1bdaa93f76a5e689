// svmcheck conformance: generated programs run on the model and on a real kernel's test_hmm (6.1 or
// 6.12, --kernel) under QEMU,
// compared observation by observation. Exit 1 on any disagreement, 2 when the kernel or the VM
// cannot be set up (the message names what is missing).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  formatConformanceJson,
  formatConformanceText,
  conformanceFailed,
} from '../../conformance/formatReport.js';
import { SetupError } from '../../conformance/kernelScripts.js';
import { parsePrograms, ProgramsFileError } from '../../conformance/parsePrograms.js';
import type { ConfProgram } from '../../conformance/program.js';
import { recheck } from '../../conformance/recheck.js';
import { runConformance } from '../../conformance/runConformance.js';
import type { Io } from '../io.js';
import { intFlag, parseArgs } from '../parseArgs.js';
import { UsageError } from '../usageError.js';
import { randomSeed } from '../runOptions.js';
import { kernelFlag } from '../kernelFlag.js';
import { CONFORMANCE_KERNELS, DEFAULT_CONFORMANCE_KERNEL } from '../../conformance/kernelVersions.js';

export async function conformanceCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs('conformance', argv);
  if (p.positional.length)
    throw new UsageError(`svmcheck conformance: unexpected argument '${p.positional[0]}'`);
  const programs = intFlag('conformance', p, 'programs');
  const kernel =
    kernelFlag('conformance', p.flags['kernel'], CONFORMANCE_KERNELS) ?? DEFAULT_CONFORMANCE_KERNEL;
  const seed = intFlag('conformance', p, 'seed', randomSeed());
  const batch = intFlag('conformance', p, 'batch');
  const hangChecks = intFlag('conformance', p, 'hang-checks');
  const file = p.flags['file'] === undefined ? undefined : String(p.flags['file']);
  let given: ConfProgram[] | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`svmcheck conformance: --file ${file}: no such file`);
    }
    try {
      given = parsePrograms(file, text);
    } catch (e) {
      if (e instanceof ProgramsFileError) throw new UsageError(`svmcheck conformance: --file ${e.message}`);
      throw e;
    }
  }
  const record = p.flags['record'] === undefined ? undefined : resolve(String(p.flags['record']));
  const again = p.flags['recheck'];
  if (again !== undefined) {
    const dir = resolve(String(again));
    if (!existsSync(dir))
      throw new UsageError(`svmcheck conformance: --recheck ${String(again)}: no such directory`);
    const r = recheck(dir, kernel);
    const kinds = Object.entries(r.byKind).sort((a, b) => b[1] - a[1]);
    if (p.flags['json']) io.out(JSON.stringify({ ok: r.agreeing === r.programs, ...r }));
    else {
      io.out(
        `${r.agreeing === r.programs ? 'ok  ' : 'FAIL'}  saved boots in ${String(again)} against the current model: ${r.boots} boots, ${r.programs} programs, ${r.agreeing} agreeing, ${r.observations} observations compared`,
      );
      for (const [k, n] of kinds) io.out(`  ${String(n).padStart(6)}  ${k}`);
    }
    return r.agreeing === r.programs ? 0 : 1;
  }
  const t0 = performance.now();
  try {
    const r = await runConformance({
      kernel,
      programs,
      seed,
      batch,
      hangChecks,
      ...(given ? { given } : {}),
      ...(record ? { record } : {}),
      shrink: !p.flags['no-shrink'],
      workDir: join(process.cwd(), '.svmcheck-tmp', 'conformance', `linux-${kernel}-seed-${seed}`),
      log: (l) => io.err(`conformance: ${l}`),
    });
    io.out(p.flags['json'] ? formatConformanceJson(r) : formatConformanceText(r));
    const secs = (performance.now() - t0) / 1000;
    io.err(
      `svmcheck conformance: ${secs.toFixed(1)} s total (kernel ${r.kernelBuildSeconds.toFixed(1)} s, guest ${r.guestSeconds.toFixed(1)} s in ${r.boots} boots)`,
    );
    return conformanceFailed(r) ? 1 : 0;
  } catch (e) {
    if (e instanceof SetupError) throw new UsageError(`svmcheck conformance: ${e.message}`);
    throw e;
  }
}
