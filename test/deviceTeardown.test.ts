// Device memory teardown (driver unbind, then memunmap_pages()) as a program operation: pages in
// use are migrated back with their data, the GPU's page tables go, later requests for the device
// get -ENODEV, and a driver that leaves anything behind is caught by device-teardown.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import { mirrorUnbindKeepsGpuPtes } from '../drivers/broken/mirrorUnbindKeepsGpuPtes.js';
import { gpusvm } from '../drivers/gpusvm.js';
import { mirror } from '../drivers/mirror.js';
import { reference } from '../drivers/reference.js';
import { profileByName } from '../generators/profiles.js';
import { checkDevmemLive, devmemLife, markDevmemDying, markDevmemKilled } from '../model/devmem.js';
import { initialState } from '../model/engine.js';
import { KernelBug } from '../model/kernelBug.js';
import type { Program } from '../model/program.js';
import { events } from './helpers.js';

// One VRAM page: the first page moves to it, the second stays in system memory and is mapped by
// the GPU as it is, so both kinds of GPU mapping exist when the device goes.
const program: Program = {
  config: { vaPages: 8, sysPages: 40, maxProcs: 3, gpus: [{ mem: 'private', vram: 1, hive: 0 }] },
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 2, prot: 'rw', shared: false },
    { op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 0 },
    { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
    { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 1 },
    { op: 'device_unbind', on: 0, proc: 0, gpu: 0 },
    { op: 'cpu_read', on: 0, proc: 0, vma: 0, off: 0 },
    { op: 'cpu_read', on: 0, proc: 0, vma: 0, off: 1 },
    { op: 'migrate', on: 0, gpu: 0, proc: 0, vma: 0, off: 0, len: 2, to: 'dev' },
  ],
  schedule: [],
  faults: [],
};

const unbindFirst: Program = {
  ...program,
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 2, prot: 'rw', shared: false },
    { op: 'device_unbind', on: 0, proc: 0, gpu: 0 },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
  ],
};

describe('device teardown', () => {
  for (const d of [mirror, gpusvm]) {
    it(`${d.name}: unbind migrates VRAM back with its data, tears the GPU mappings down and refuses later requests`, () => {
      const r = execute(d, program, { trace: true });
      expect(r.violation).toBeNull();
      expect(devmemLife(r.state, 0)).toBe('gone');
      const ev = events(r);
      // The data the CPU and the GPU wrote survives the eviction.
      const reads = ev.filter((e) => e.e === 'cpu-read');
      expect(reads).toHaveLength(2);
      for (const e of reads) if (e.e === 'cpu-read') expect(e.v).toBe(e.want);
      const refused = ev
        .filter((e) => e.e === 'syscall' && e.err === 'ENODEV')
        .map((e) => (e.e === 'syscall' ? e.op : ''));
      expect(refused).toEqual(['migrate']);
      expect(r.state.phys.filter((p) => p.gpu === 0 && !p.free)).toEqual([]);
      expect(r.state.gpuPt[0]?.flat().filter((e) => e !== null)).toEqual([]);
      const after = execute(d, unbindFirst, { trace: true });
      expect(after.violation).toBeNull();
      // Refused either by the fault path (drm_dev_enter fails while memunmap_pages waits) or, once the
      // device is gone, before any fault: no queue is left.
      const refusedAccess = events(after).some(
        (e) => (e.e === 'gpu-error' || (e.e === 'syscall' && e.op === 'gpu access')) && e.err === 'ENODEV',
      );
      expect(refusedAccess).toBe(true);
    });
  }

  it('the reference (kfd device removal is not modelled) skips the operation, and says so', () => {
    const r = execute(reference, program, { trace: true });
    expect(r.violation).toBeNull();
    expect(events(r).some((e) => e.e === 'syscall' && e.op === 'device_unbind' && e.err === 'SKIP')).toBe(
      true,
    );
  });

  it('a driver whose unbind leaves the GPU page tables translating breaks device-teardown', () => {
    const r = execute(mirrorUnbindKeepsGpuPtes, program);
    expect(r.violation?.invariant).toBe('device-teardown');
    expect(r.violation?.cls).toBe('teardown');
  });

  it('random search finds it within a few hundred runs, in at most 8 operations', () => {
    const profile = profileByName(mirrorUnbindKeepsGpuPtes.suite ?? 'multi-gpu');
    if (!profile) throw new Error('no suite');
    const rep = checkDriver(mirrorUnbindKeepsGpuPtes, profile, { runs: 5000, seed: 3 });
    expect(rep.failure?.violation.invariant).toBe('device-teardown');
    expect(rep.failure?.program.ops.length).toBeLessThanOrEqual(8);
  });

  it('zone_device_page_init on a pgmap memunmap_pages() killed WARNs (percpu_ref_tryget_live fails)', () => {
    const s = initialState(program.config, mirror);
    const page = s.vramBase[0] ?? 0;
    markDevmemDying(s, 0);
    expect(() => checkDevmemLive(s, 0, page)).not.toThrow();
    markDevmemKilled(s, 0);
    expect(() => checkDevmemLive(s, 0, page)).toThrow(KernelBug);
  });
});
