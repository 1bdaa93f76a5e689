// The cost counter (model/costs/CostCounter.ts) against runs whose costs can be worked out by hand,
// and the policies against what each promises on a generated workload.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { measureCosts } from '../check/measureCosts.js';
import { CostCounter } from '../model/costs/CostCounter.js';
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

describe('cost counter, by hand: ping-pong, a move between two GPUs, lock waits', () => {
  const write = (off: number): Op => ({ op: 'cpu_write', on: 0, proc: 0, vma: 0, off });
  const read = (gpu: number, off: number): Op => ({ op: 'gpu_read', gpu, proc: 0, vma: 0, off });
  const mmap = (pages: number): Op => ({ op: 'mmap', on: 0, proc: 0, pages, prot: 'rw', shared: false });
  const attrs = (a: Extract<Op, { op: 'svm_set_attr' }>['attrs']): Op => ({
    op: 'svm_set_attr',
    on: 0,
    proc: 0,
    vma: 0,
    off: 0,
    len: 4,
    attrs: a,
  });
  const machine = (gpus: number): Program['config'] => ({
    vaPages: 16,
    sysPages: 40,
    gpus: Array.from({ length: gpus }, () => ({ mem: 'private' as const, vram: 8, hive: 0 })),
    maxProcs: 1,
  });
  const seq = (ops: readonly Op[]): number[] => ops.map((_, i) => i);

  it('a page moved to VRAM, back, and to VRAM again is one ping-pong page (3 moves > 2)', () => {
    const ops = [mmap(4), write(0), attrs([{ t: 'gran', v: 0 }]), read(0, 0), write(0), read(0, 0)];
    const c = costsOf(policy('page'), { config: machine(1), ops, schedule: [], faults: [] }, seq(ops));
    expect([c.pagesToDev, c.pagesToSys, c.pingPong, c.untouchedToDev]).toEqual([2, 1, 1, 0]);
    expect(c.bytesCopied).toBe(3 * PAGE_BYTES);
  });

  it("shipped kfd moves a page from GPU 0's VRAM to GPU 1's through RAM: two copies", () => {
    // GPU 0 faults the page over; GPU 1, the preferred location, faults it over to its own VRAM
    // (svm_range_best_restore_location, svm_migrate_vram_to_vram through system memory).
    const ops = [
      mmap(4),
      write(0),
      attrs([{ t: 'gran', v: 0 }]),
      read(0, 0),
      attrs([{ t: 'preferred', v: 2 }]),
      read(1, 0),
    ];
    const program = { config: machine(2), ops, schedule: [], faults: [] };
    const kfd = costsOf(policy('kfd-page'), program, seq(ops));
    // To GPU 0 (one copy), to RAM and on to GPU 1 (two): seen as one or two moves by the page
    // tables, three copies by migrate_vma.
    expect(kfd.bytesCopied).toBe(3 * PAGE_BYTES);
    expect(kfd.pagesToDev + kfd.pagesDevToDev).toBe(2);
    // The reference leaves the page in GPU 0's VRAM (a migration to VRAM collects system pages).
    const ref = costsOf(policy('page'), program, seq(ops));
    expect([ref.pagesToDev, ref.pagesDevToDev, ref.bytesCopied]).toEqual([1, 0, PAGE_BYTES]);
  });

  it("drm_gpusvm takes a 64 KiB chunk only over present CPU pages (xe's check_pages_threshold)", () => {
    // One VMA of 32 pages (two aligned 64 KiB chunks); the GPU reads page 1 of the first chunk.
    const big = (populated: number): Program => {
      const ops: Op[] = [mmap(32), ...Array.from({ length: populated }, (_, i) => write(i)), read(0, 1)];
      return {
        config: { ...machine(1), vaPages: 64, gpus: [{ mem: 'private', vram: 32, hive: 0 }] },
        ops,
        schedule: [],
        faults: [],
      };
    };
    const moved = (populated: number): number => {
      const p = big(populated);
      return costsOf(policy('gpusvm-64k'), p, seq(p.ops)).pagesToDev;
    };
    // All 16 pages of the chunk present: the 64 KiB range migrates whole.
    expect(moved(16)).toBe(16);
    // Page 15 never touched: drm_gpusvm_check_pages fails, the range is the 4 KiB chunk.
    expect(moved(15)).toBe(1);
  });

  it('counts the steps a munmap waits for mmap_lock while a GPU fault holds it, and none run one at a time', () => {
    // A second VMA for thread 1 to unmap while GPU 0 faults page 0 of the first.
    const ops: Op[] = [
      mmap(4),
      mmap(2),
      write(0),
      attrs([{ t: 'gran', v: 0 }]),
      read(0, 0),
      { op: 'munmap', on: 1, proc: 0, vma: 1, off: 0, len: 2 },
    ];
    const program = { config: machine(1), ops, schedule: [], faults: [] };
    const phases = [0, 1, 2, 3, 4, 4];
    const run = (pick?: (cands: readonly number[]) => number): number => {
      const counter = new CostCounter(16);
      const r = execute(policy('page').driver, program, {
        phases,
        observe: (s, e, w) => counter.observe(s, e, w),
        ...(pick ? { pick } : {}),
      });
      expect(r.violation).toBeNull();
      return counter.finish(r.stats).lockWaitSteps;
    };
    // The GPU fault first (operation 4): after two of its steps it holds mmap_lock for read (and
    // svms->lock) in validate_and_map. Then the munmap (5) starts and blocks for write: one step
    // blocked, and the step in which the fault maps, unlocks and returns, after which the munmap
    // runs. Two activity-steps.
    let choice = 0;
    const waits = run((cands) => {
      choice++;
      const want = choice >= 4 ? 5 : 4;
      const i = cands.indexOf(want);
      return i >= 0 ? i : 0;
    });
    expect(waits).toBe(2);
    expect(run()).toBe(0);
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
