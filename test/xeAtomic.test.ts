// xe's atomic GPU faults (issue 21): devmem_only, the PTE's atomic-enable bit, the migration
// timeslice that drm_pagemap's migrate_to_ram honours, -EACCES where the memory cannot migrate,
// and the catalog entry that serves an atomic like a write.
import { describe, expect, it } from 'vitest';
import { lcgSchedules } from './lcgSchedules.js';
import { execute } from '../check/execute.js';
import { xe } from '../drivers/xe.js';
import { xeAtomicWithoutDevmemOnly } from '../drivers/broken/xeAtomicWithoutDevmemOnly.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { GpuConfig } from '../model/types.js';
import { eventsOf, setAttr } from './helpers.js';

const gpu = (hive: number, vram = 4): GpuConfig => ({ mem: 'private', vram, hive });

function program(gpus: GpuConfig[], ops: Op[], schedule: number[] = []): Program {
  return { config: { vaPages: 8, sysPages: 40, maxProcs: 3, gpus }, ops, schedule, faults: [] };
}

const mmap = (shared = false): Op => ({ op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared });
const preferSystem = setAttr([{ t: 'preferred', v: 0 }]);
const atomic = (g: number): Op => ({ op: 'gpu_atomic', gpu: g, proc: 0, vma: 0, off: 0 });
const gpuWrite = (g: number): Op => ({ op: 'gpu_write', gpu: g, proc: 0, vma: 0, off: 0 });
const cpuRead: Op = { op: 'cpu_read', on: 0, proc: 0, vma: 0, off: 0 };

const stat = (r: ReturnType<typeof execute>, prefix: string): number =>
  [...r.stats].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

const schedules = (n: number, len: number): number[][] => lcgSchedules(n, len, 12345, 5);

describe('xe: GPU atomics need device memory (devmem_only) and keep it for a timeslice', () => {
  it('a write to memory madvise keeps in system is bound there without the atomic bit; an atomic migrates it', () => {
    const w = execute(xe, program([gpu(0)], [mmap(), preferSystem, gpuWrite(0)]), { trace: true });
    expect(w.violation).toBeNull();
    const wpte = w.state.gpuPt[0]?.[0]?.[0];
    expect(w.state.phys[wpte?.page ?? -1]?.gpu ?? -1).toBe(-1);
    expect(wpte?.noAtomic).toBe(true);

    const a = execute(xe, program([gpu(0)], [mmap(), preferSystem, atomic(0)]), { trace: true });
    expect(a.violation).toBeNull();
    const apte = a.state.gpuPt[0]?.[0]?.[0];
    expect(a.state.phys[apte?.page ?? -1]?.gpu).toBe(0);
    expect(apte?.noAtomic).toBeUndefined();
    expect(stat(a, 'xe: pages migrated to gpu0')).toBe(1);
    expect(eventsOf(a, 'gpu-write')).toHaveLength(1);
  });

  it('a shared mapping cannot migrate: the atomic is refused with -EACCES, which the uAPI permits', () => {
    const r = execute(xe, program([gpu(0)], [mmap(true), atomic(0)]), { trace: true });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'gpu-error').map((e) => e.err)).toEqual(['EACCES']);
  });

  it("a CPU fault within the migration's timeslice leaves the pages in VRAM and retries; the data survives", () => {
    let within = 0;
    // 160 schedules: the BO's clear (pre_migrate_fence) is one more activity to interleave, and
    // the first schedule of this spread with a CPU fault inside the timeslice is the 109th.
    for (const sched of schedules(160, 40)) {
      const r = execute(xe, program([gpu(0)], [mmap(), atomic(0), cpuRead], sched), { trace: true });
      expect(r.violation).toBeNull();
      // Each migration for the atomic starts a timeslice, which ends (the schedule may run the
      // atomic before the mmap: then nothing migrates).
      expect(stat(r, 'xe: migration timeslice expired')).toBe(stat(r, 'xe: pages migrated to gpu0'));
      const n = stat(r, 'xe: CPU fault within the migration timeslice');
      within += n;
      // Every CPU fault that met a running timeslice was followed by one that migrated the page back.
      if (n > 0) expect(stat(r, 'xe: pages migrated to system memory')).toBeGreaterThan(0);
      const [read] = eventsOf(r, 'cpu-read');
      expect(read?.v).toBe(read?.want);
    }
    expect(within).toBeGreaterThan(0);
  });

  it('xe-atomic-without-devmem-only: an atomic bound over system memory faults again for ever', () => {
    const r = execute(xeAtomicWithoutDevmemOnly, program([gpu(0)], [mmap(), preferSystem, atomic(0)]));
    expect(r.violation?.invariant).toBe('forward-progress');
  });
});
