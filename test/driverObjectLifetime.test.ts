// driver-object-lifetime: a removed mmu_interval_notifier is not touched again (KASAN-style: the
// model's notifier API reports the access itself).
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { mirror } from '../drivers/mirror.js';
import type { Op } from '../model/ops.js';
import { gpuWrite, mmap, run } from './helpers.js';

describe('driver-object-lifetime', () => {
  // A GPU fault looks up the notifier; munmap's callback removes it; the fault goes on with it.
  const ops: Op[] = [mmap(1), { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 }, gpuWrite(0)];
  const schedule = [0, 1];

  it('mirror-free-on-unmap touches its removed notifier and is caught', () => {
    const d = builtinDriver('mirror-free-on-unmap');
    if (!d) throw new Error('mirror-free-on-unmap');
    expect(run(ops, { driver: d, schedule }).violation).toMatchObject({
      invariant: 'driver-object-lifetime',
      cls: 'memory-safety',
    });
  });

  it('the mirror keeps its notifier and passes the same program', () => {
    expect(run(ops, { driver: mirror, schedule }).violation).toBeNull();
  });

  it("exit's teardown of a process's notifiers is not reported as the driver's use-after-free", () => {
    const exitOps: Op[] = [mmap(1), { op: 'exit', on: 0, proc: 0 }, gpuWrite(0)];
    for (const k of [0, 1, 2])
      expect(run(exitOps, { driver: mirror, schedule: [k, k, k] }).violation).toBeNull();
  });
});
