// Runs programs on the real kernel, boot after boot, until each has run: normal programs in batches,
// one predicted crasher at the end of each boot (it takes the guest down), and programs lost to an
// unexpected crash once more in the next boot. Counts boots and guest time as it goes.
import type { KernelRun, Verdict } from './compareRun.js';
import type { Kernel } from './kernelScripts.js';
import type { KernelEvent } from './parseSerial.js';
import type { ConfProgram } from './program.js';
import { runBatch } from './runBatch.js';
import type { ModelRun } from './runOnModel.js';

export interface Outcome {
  program: ConfProgram;
  model: ModelRun;
  kernel: KernelRun;
  verdict: Verdict;
}

export interface KernelStats {
  boots: number;
  guestSeconds: number;
  stray: KernelEvent[];
  release: string;
}

export async function runOnKernel(
  k: Kernel,
  normal: readonly ConfProgram[],
  crashers: readonly ConfProgram[],
  o: { batch: number; workDir: string; tag: string; log: (l: string) => void },
  stats: KernelStats,
): Promise<Map<number, KernelRun>> {
  const runs = new Map<number, KernelRun>();
  const queue = [...normal];
  const tail = [...crashers];
  const lostOnce = new Set<number>();
  while (queue.length || tail.length) {
    const batch = queue.splice(0, o.batch);
    const last = tail.shift();
    if (last) batch.push(last);
    const b = await runBatch(k, batch, o.workDir, `${o.tag}-${stats.boots}`);
    stats.boots++;
    stats.guestSeconds += b.boot.seconds;
    stats.stray.push(...b.stray);
    if (b.release) stats.release = b.release;
    for (const [id, r] of b.runs) runs.set(id, r);
    const lost = batch.filter((p) => b.lost.includes(p.id) && p !== last);
    const again = lost.filter((p) => !lostOnce.has(p.id));
    for (const p of lost) lostOnce.add(p.id);
    queue.unshift(...again);
    o.log(
      `boot ${stats.boots}: ${batch.length} programs, ${b.runs.size} ran, guest ${b.boot.seconds.toFixed(1)} s, ended ${b.boot.end}${lost.length ? `, ${lost.length} lost` : ''}`,
    );
  }
  return runs;
}
