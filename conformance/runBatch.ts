// One boot: the programs go into the initramfs, the guest runs them in order, and its console is
// split back into per-program runs. A program that began but did not exit ended the boot: with a
// kernel oops (its report is attributed to it) or by hanging (the console fell silent). Programs
// after it never began: they are returned as lost, to be run again in another boot.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootGuest, type Boot } from './bootGuest.js';
import type { KernelRun } from './compareRun.js';
import { formatPrograms } from './formatProgram.js';
import { makeInitramfs, type Kernel } from './kernelScripts.js';
import { parseSerial, type KernelEvent } from './parseSerial.js';
import { splitRuns } from './splitRuns.js';
import type { ConfProgram } from './program.js';

export interface BatchResult {
  runs: Map<number, KernelRun>;
  lost: number[];
  /** Kernel reports outside any program (boot, teardown). */
  stray: KernelEvent[];
  boot: Boot;
  release: string;
}

export async function runBatch(
  k: Kernel,
  programs: readonly ConfProgram[],
  dir: string,
  tag: string,
): Promise<BatchResult> {
  const file = join(dir, `${tag}.programs`);
  const image = join(dir, `${tag}.cpio.gz`);
  writeFileSync(file, formatPrograms(programs));
  makeInitramfs(k, file, image);
  const boot = await bootGuest(k, image, { timeoutS: 300 + 2 * programs.length, silentS: 45 });
  writeFileSync(join(dir, `${tag}.serial`), boot.text);
  const parse = parseSerial(boot.text);
  const { runs, lost, stray } = splitRuns(parse, programs);
  return { runs, lost, stray, boot, release: String(parse.runner?.kernel ?? '') };
}
