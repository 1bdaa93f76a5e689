// The cost counter (model/costs/CostCounter.ts) against runs whose costs can be worked out by hand,
// and the policies against what each promises on a generated workload.
import { describe, expect, it } from 'vitest';
import { measureCosts } from '../check/measureCosts.js';
import { costPolicy } from '../drivers/costPolicies/costPolicies.js';
import type { CostPolicy } from '../drivers/costPolicies/costPolicy.js';
import { compileWorkload } from '../generators/workloads/compileWorkload.js';
import { rng } from '../generators/workloads/rng.js';
import { workload } from '../generators/workloads/workloads.js';
import { PAGE_BYTES, type Costs } from '../model/costs/costs.js';
import { DEFAULT_KERNEL } from '../model/kernelVersion.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';

const policy = (name: string): CostPolicy => {
  const p = costPolicy(name);
  if (!p) throw new Error(name);
  return p;
};

function costsOf(p: CostPolicy, program: Program, phases: readonly number[]): Costs {
  const m = measureCosts(p.driver, program, phases);
  if (m.k !== 'costs') throw new Error(`no costs: ${JSON.stringify(m)}`);
  return m.costs;
}

describe('cost counter', () => {
  // One VMA of 8 pages, all written by the CPU, registered with a 4-page window; the GPU reads
  // page 1, then the CPU writes page 2: the window [0, 3] goes to VRAM and comes back.
  const ops: Op[] = [
    { op: 'mmap', on: 0, proc: 0, pages: 8, prot: 'rw', shared: false },
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((off): Op => ({ op: 'cpu_write', on: 0, proc: 0, vma: 0, off })),
    { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 8, attrs: [{ t: 'gran', v: 2 }] },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 1 },
    { op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 2 },
  ];
  const program: Program = {
    config: { vaPages: 16, sysPages: 40, gpus: [{ mem: 'private', vram: 8, hive: 0 }], maxProcs: 1 },
    ops,
    schedule: [],
    faults: [],
  };
  const phases = ops.map((_, i) => i);

  it('counts a window migrated to VRAM and back, and the pages in it the GPU never touched', () => {
    const c = costsOf(policy('page'), program, phases);
    expect(c.gpuFaults).toBe(1);
    // Eight first touches and the write to a page in VRAM.
    expect(c.cpuFaults).toBe(9);
    expect(c.pagesToDev).toBe(4);
    expect(c.untouchedToDev).toBe(3);
    expect(c.pagesToSys).toBe(4);
    expect(c.bytesCopied).toBe(8 * PAGE_BYTES);
    expect(c.pingPong).toBe(0);
    expect(c.invalidations).toBeGreaterThan(0);
  });

  it('counts nothing migrated under a preferred location of system memory', () => {
    const remote = [...ops];
    remote[9] = {
      op: 'svm_set_attr',
      on: 0,
      proc: 0,
      vma: 0,
      off: 0,
      len: 8,
      attrs: [{ t: 'preferred', v: 0 }],
    };
    const c = costsOf(policy('page'), { ...program, ops: remote }, phases);
    expect(c.gpuFaults).toBe(1);
    expect(c.pagesToDev + c.pagesToSys + c.bytesCopied + c.untouchedToDev).toBe(0);
    expect(c.cpuFaults).toBe(8);
  });
});

describe('policies on the brk-heap workload (seed 000)', () => {
  const plan = workload('brk-heap')?.plan(rng(3));
  if (!plan) throw new Error('brk-heap');
  const run = (name: string): Costs => {
    const c = compileWorkload(plan, policy(name), DEFAULT_KERNEL);
    return costsOf(policy(name), c.program, c.phases);
  };
  it('fault-the-page-only never moves a page the GPU does not touch; a 2 MiB window does, and saves faults', () => {
    const page = run('page');
    const win2m = run('win2m');
    expect(page.untouchedToDev).toBe(0);
    expect(win2m.untouchedToDev).toBeGreaterThan(100);
    expect(win2m.gpuFaults).toBeLessThan(page.gpuFaults / 4);
    expect(win2m.bytesCopied).toBeGreaterThan(page.bytesCopied);
  }, 60_000);
  it('remote access migrates nothing', () => {
    const r = run('remote');
    expect(r.pagesToDev + r.pagesToSys + r.pagesDevToDev + r.pingPong).toBe(0);
  }, 60_000);
});
