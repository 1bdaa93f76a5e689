// The xe family (drm_gpusvm + drm_pagemap, Linux 7.0) on several devices, scenario by scenario:
// access to a peer's VRAM inside an interconnect group, seed 002's ping-pong between devices of
// different groups, madvise to system memory, device unbind, and the zdd lifetime.
import { describe, expect, it } from 'vitest';
import { execute, type ExecResult } from '../check/execute.js';
import type { Driver } from '../model/driver.js';
import { xe } from '../drivers/xe.js';
import { xeP2p } from '../drivers/xeP2p.js';
import type { XeState } from '../drivers/xe/xeState.js';
import { devmemLife } from '../model/devmem.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { GpuConfig } from '../model/types.js';
import { eventsOf, setAttr } from './helpers.js';

const gpu = (hive: number, vram = 1): GpuConfig => ({ mem: 'private', vram, hive });

function program(gpus: GpuConfig[], ops: Op[]): Program {
  return { config: { vaPages: 8, sysPages: 40, maxProcs: 3, gpus }, ops, schedule: [], faults: [] };
}

/**
 * Runs the program's operations one after another (each a phase of its own): the scenarios below
 * are sequential, and a GPU fault that sleeps on its BO's clear (pre_migrate_fence) would otherwise
 * let the next operation start first.
 */
const runInOrder = (driver: Driver, p: Program): ExecResult =>
  execute(driver, p, { trace: true, phases: p.ops.map((_, i) => i) });

const mmap1: Op = { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false };
const gpuWrite = (g: number): Op => ({ op: 'gpu_write', gpu: g, proc: 0, vma: 0, off: 0 });
const gpuRead = (g: number): Op => ({ op: 'gpu_read', gpu: g, proc: 0, vma: 0, off: 0 });
const cpuRead: Op = { op: 'cpu_read', on: 0, proc: 0, vma: 0, off: 0 };

const stat = (r: ReturnType<typeof execute>, prefix: string): number =>
  [...r.stats].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

describe('xe: drm_gpusvm + drm_pagemap across devices', () => {
  it("a device of the same interconnect group takes the page out of its peer's VRAM through system memory", () => {
    const r = runInOrder(xe, program([gpu(0), gpu(0)], [mmap1, gpuWrite(0), gpuRead(1)]));
    expect(r.violation).toBeNull();
    // gpu1's own migration collects nothing (SELECT_DEVICE_PRIVATE left out): -EBUSY, so 7.0's
    // xe_svm_alloc_vram evicts the range (drm_gpusvm_range_evict: gpu0's migrate_to_ram) and
    // migrates it again, now from system memory, into gpu1's VRAM.
    expect(stat(r, 'xe: migrate_to_devmem -EBUSY')).toBe(1);
    expect(stat(r, 'xe: migration to device raced (-EBUSY): range evicted')).toBe(1);
    expect(r.stats.get('xe: pages migrated to system memory (migrate_to_ram)')).toBe(1);
    const page = r.state.gpuPt[1]?.[0]?.[0]?.page ?? -1;
    expect(r.state.phys[page]?.gpu).toBe(1);
    expect(r.state.gpuPt[0]?.[0]?.[0]).toBeNull();
    const [read] = eventsOf(r, 'gpu-read');
    expect(read?.v).toBe(read?.want);
  });

  it('xe-p2p: inside a group the page moves straight to the faulting device, copied by its peer', () => {
    const r = runInOrder(xeP2p, program([gpu(0), gpu(0)], [mmap1, gpuWrite(0), gpuWrite(1), cpuRead]));
    expect(r.violation).toBeNull();
    expect(r.stats.get('xe: pages copied from a peer over the interconnect')).toBe(1);
    expect(r.stats.get('xe: ping-pong (page migrated to devmem again, gpu0 -> gpu1)')).toBe(1);
    // No bounce through system memory before the CPU read.
    const bounced = eventsOf(r, 'migrate').filter((e) => e.to === 'dev');
    expect(bounced).toHaveLength(2);
    const [read] = eventsOf(r, 'cpu-read');
    expect(read?.v).toBe(read?.want);
  });

  it('seed 002: devices of different groups each preferring their own VRAM play ping-pong, and nothing breaks', () => {
    const ops = [mmap1, gpuWrite(0), gpuWrite(1), gpuWrite(0), gpuWrite(1), cpuRead];
    const r = runInOrder(xe, program([gpu(0), gpu(1)], ops));
    expect(r.violation).toBeNull();
    // Neither device can collect the other's device-private page (another owner): each migration is
    // -EBUSY, xe_svm_alloc_vram evicts the range to system memory (the other's migrate_to_ram of the
    // whole allocation) and migrates it again, so every write moves the page across; the CPU read
    // at the end takes it back once more.
    expect(r.stats.get('xe: ping-pong (page migrated to devmem again, gpu0 -> gpu1)')).toBe(2);
    expect(r.stats.get('xe: ping-pong (page migrated to devmem again, gpu1 -> gpu0)')).toBe(1);
    expect(r.stats.get('xe: pages migrated to system memory (migrate_to_ram)')).toBe(4);
    const [read] = eventsOf(r, 'cpu-read');
    expect(read?.v).toBe(read?.want);
  });

  it('madvise to system memory: the page is not migrated, and the GPU maps it in place', () => {
    const madvise = setAttr([{ t: 'preferred', v: 0 }]);
    const r = runInOrder(xe, program([gpu(0), gpu(1)], [mmap1, madvise, gpuWrite(0), gpuWrite(1)]));
    expect(r.violation).toBeNull();
    expect(stat(r, 'xe: pages migrated to gpu')).toBe(0);
    const page = r.state.gpuPt[0]?.[0]?.[0]?.page ?? -1;
    expect(r.state.phys[page]?.gpu).toBe(-1);
    expect(r.state.gpuPt[1]?.[0]?.[0]?.page).toBe(page);
  });

  it('an attribute xe has no counterpart for is -EINVAL and changes nothing', () => {
    const flags = setAttr([{ t: 'set_flags', v: 1 }]);
    const r = runInOrder(xe, program([gpu(0)], [mmap1, flags]));
    expect(r.violation).toBeNull();
    const [e] = eventsOf(r, 'svm-set-attr');
    expect(e?.err).toBe('EINVAL');
    expect(e?.applied).toBe(false);
  });

  it('unbind evicts the VRAM with its data, releases the allocation (its zdd) and refuses new population', () => {
    const unbind: Op = { op: 'device_unbind', on: 0, proc: 0, gpu: 0 };
    const prefetch: Op = { op: 'migrate', on: 0, gpu: 0, proc: 0, vma: 0, off: 0, len: 1, to: 'dev' };
    const r = execute(
      xe,
      program([gpu(0), gpu(0)], [mmap1, gpuWrite(0), unbind, cpuRead, prefetch, gpuRead(1)]),
      { trace: true },
    );
    expect(r.violation).toBeNull();
    expect(devmemLife(r.state, 0)).toBe('gone');
    expect(r.state.phys.filter((p) => p.gpu === 0 && !p.free)).toEqual([]);
    expect((r.state.drv as XeState).devmem).toEqual([]);
    const [read] = eventsOf(r, 'cpu-read');
    expect(read?.v).toBe(read?.want);
    // gpu1 (same group) now migrates the page into its own VRAM instead.
    expect(r.stats.get('xe: pages migrated to gpu1')).toBe(1);
  });

  it('every device page holds a zdd reference, and the allocation goes with its last page', () => {
    const r = runInOrder(xe, program([gpu(0, 2)], [mmap1, gpuWrite(0)]));
    expect(r.violation).toBeNull();
    const st = r.state.drv as XeState;
    expect(st.devmem).toHaveLength(1);
    const d = st.devmem[0];
    const pages = r.state.phys.filter((p) => !p.free && p.gpu === 0 && p.zdd === d?.id);
    // The migrating call's reference was put at its end: one per device page is left.
    expect(d?.zddRef).toBe(pages.length);
    const back = runInOrder(xe, program([gpu(0, 2)], [mmap1, gpuWrite(0), cpuRead]));
    expect(back.violation).toBeNull();
    expect((back.state.drv as XeState).devmem).toEqual([]);
  });
});
