// driver-object-lifetime over xe's drm_gpusvm and drm_pagemap objects (drivers/xe/xeRefs.ts): the
// registered interval notifiers, each range's notifier, the garbage collector's list and each device
// page's zone_device_data point to live objects in xe and xe-p2p runs of faults, munmap, CPU faults
// on device pages, device unbind and exit under several schedules; a notifier, range or zdd freed
// while something points to it is a use-after-free named in kernel terms.
import { describe, expect, it } from 'vitest';
import { xe } from '../drivers/xe.js';
import { xeP2p } from '../drivers/xeP2p.js';
import type { XeState } from '../drivers/xe/xeState.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { driverObjectLifetime } from '../properties/driverObjectLifetime.js';
import { execute, type ExecResult } from '../check/execute.js';
import type { Driver } from '../model/driver.js';
import { cpuRead, gpuRead, gpuWrite, mmap, oneGpu, run } from './helpers.js';
import { findingWords } from '../report/findingWords/index.js';

// Two devices of one interconnect group (xe-p2p copies between them), four VRAM pages each.
const twoInOneGroup: Config = {
  ...oneGpu,
  gpus: [0, 1].map(() => ({ mem: 'private' as const, vram: 4, hive: 0 })),
};
const munmap = (off: number, len: number): Op => ({ op: 'munmap', on: 0, proc: 0, vma: 0, off, len });
const unbind = (gpu: number): Op => ({ op: 'device_unbind', on: 0, proc: 0, gpu });
const exit: Op = { op: 'exit', on: 0, proc: 0 };
/**
 * The operations one after another (a phase each): a GPU fault sleeping on its BO's clear
 * (pre_migrate_fence) would otherwise let the munmap start before the range exists.
 */
const runInOrder = (ops: Op[], driver: Driver): ExecResult =>
  execute(
    driver,
    { config: twoInOneGroup, ops, schedule: [], faults: [] },
    { trace: true, phases: ops.map((_, i) => i) },
  );
const holders = (refs: { holder: string }[], re: RegExp): number =>
  refs.filter((x) => re.test(x.holder)).length;

describe('xe object lifetime (Driver.refs)', () => {
  it('a GPU fault that migrates to VRAM leaves notifier, range and device pages pointing to live objects', () => {
    const r = run([mmap(4), gpuWrite(0)], { driver: xe, config: twoInOneGroup });
    expect(r.violation).toBeNull();
    const refs = xe.refs?.(r.state) ?? [];
    expect(holders(refs, /^mmu_interval_notifier \d+$/)).toBeGreaterThan(0);
    expect(holders(refs, /\(range->notifier\)$/)).toBeGreaterThan(0);
    expect(holders(refs, /^device page \d+ \(zone_device_data\)$/)).toBeGreaterThan(0);
    expect(refs.every((x) => x.live)).toBe(true);
  });

  it('a munmap queues the range on the garbage collector list, which points to a live range', () => {
    const r = runInOrder([mmap(4), gpuWrite(0), munmap(0, 2)], xe);
    expect(r.violation).toBeNull();
    const refs = xe.refs?.(r.state) ?? [];
    expect(holders(refs, /^the garbage collector list/)).toBeGreaterThan(0);
    expect(refs.every((x) => x.live)).toBe(true);
  });

  // Schedules under which both devices migrate and at least one zdd is destroyed (its devmem released).
  const schedules = [[], [1, 0, 1, 0, 1], [0, 1, 1, 0, 2, 1], [0, 0, 1, 2, 1, 0, 1]];
  for (const driver of [xe, xeP2p])
    for (const schedule of schedules)
      it(`${driver.name}: faults, munmap, CPU faults on device pages, unbind and exit leave no dangling pointer (schedule [${schedule.join(',')}])`, () => {
        const ops: Op[] = [
          mmap(4),
          gpuWrite(0),
          gpuWrite(2, 1),
          munmap(0, 1),
          cpuRead(2),
          gpuRead(3),
          unbind(1),
          exit,
        ];
        // execute() checks driver-object-lifetime (with these refs) after every step.
        const r = run(ops, { driver, config: twoInOneGroup, schedule });
        expect(r.violation).toBeNull();
        expect(r.stats.get('xe: device allocation released') ?? 0).toBeGreaterThan(0);
        expect((driver.refs?.(r.state) ?? []).filter((x) => !x.live)).toEqual([]);
      });

  it('a gpusvm notifier freed while a range still points to it is a use-after-free', () => {
    const r = run([mmap(4), gpuWrite(0)], { driver: xe, config: twoInOneGroup });
    const st = r.state.drv as XeState;
    const nid = st.ranges[0]?.nid;
    expect(nid).toBeDefined();
    // What drm_gpusvm_range_remove() must not do: free the notifier while its tree holds a range.
    st.notifiers = st.notifiers.filter((n) => n.nid !== nid);
    const f = driverObjectLifetime.check(r.state, [], xe);
    expect(f && findingWords('driver-object-lifetime', f).message).toBe(
      `use-after-free: drm_gpusvm_notifier ${String(nid)} freed while mmu_interval_notifier ${String(nid)} points to it`,
    );
  });

  it('a range freed while on the garbage collector list is a use-after-free', () => {
    const r = runInOrder([mmap(4), gpuWrite(0), munmap(0, 2)], xe);
    const st = r.state.drv as XeState;
    const id = st.gc[0];
    expect(id).toBeDefined();
    // A range freed without xe_svm_garbage_collector() taking it off the list first.
    st.ranges = st.ranges.filter((x) => x.id !== id);
    const f = driverObjectLifetime.check(r.state, [], xe);
    expect(f && findingWords('driver-object-lifetime', f).message).toBe(
      `use-after-free: drm_gpusvm_range ${String(id)} freed while the garbage collector list points to it`,
    );
  });

  it('a zdd destroyed while a device page still points to it is a use-after-free', () => {
    const r = run([mmap(4), gpuWrite(0)], { driver: xe, config: twoInOneGroup });
    const st = r.state.drv as XeState;
    const zdd = st.devmem[0]?.id;
    expect(zdd).toBeDefined();
    const page = r.state.phys.findIndex((p) => !p.free && p.zdd === zdd);
    expect(page).toBeGreaterThan(0);
    // What drm_pagemap_zdd_put() must not reach while a device page holds its reference.
    st.devmem = [];
    const f = driverObjectLifetime.check(r.state, [], xe);
    expect(f && findingWords('driver-object-lifetime', f).message).toBe(
      `use-after-free: drm_pagemap_zdd ${String(zdd)} freed while device page ${String(page)} (zone_device_data) points to it`,
    );
  });
});
