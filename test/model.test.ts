// Core-mm and migration behaviours of the model, each checked against what the kernel does.
import { describe, expect, it } from 'vitest';
import { backingPage, isDevicePage } from '../model/mem.js';
import {
  cpuRead,
  cpuWrite,
  eventsOf,
  gpuRead,
  gpuWrite,
  migrate,
  mmap,
  oneGpu,
  run,
  twoGpus,
} from './helpers.js';

describe('core mm', () => {
  it('reads of untouched private memory map the shared zero page', () => {
    const r = run([mmap(2), cpuRead(1)]);
    expect(r.violation).toBeNull();
    expect(r.state.procs[0]?.pt[1]).toEqual({ t: 'p', page: 0, w: false });
    expect(eventsOf(r, 'cpu-read')[0]?.v).toBe(0);
  });

  it('an access past the end of a VMA is a SIGSEGV, recorded as an observation', () => {
    const r = run([mmap(2), cpuWrite(2)]);
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'sigsegv')).toHaveLength(1);
  });

  it('partial munmap splits the VMA and frees only the unmapped pages', () => {
    const r = run([
      mmap(4),
      cpuWrite(0),
      cpuWrite(3),
      { op: 'munmap', on: 0, proc: 0, vma: 0, off: 1, len: 2 },
    ]);
    expect(r.violation).toBeNull();
    expect(r.state.procs[0]?.vmas.map((v) => [v.start, v.end])).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });

  it('MADV_DONTNEED zeroes private memory but keeps shmem contents', () => {
    const dontneed = { op: 'madvise_dontneed', on: 0, proc: 0, vma: 0, off: 0, len: 1 } as const;
    const priv = run([mmap(1), cpuWrite(0), dontneed, cpuRead(0)]);
    expect(eventsOf(priv, 'cpu-read')[0]?.v).toBe(0);
    const shared = run([mmap(1, { shared: true }), cpuWrite(0), dontneed, cpuRead(0)]);
    expect(eventsOf(shared, 'cpu-read')[0]?.v).toBe(1);
    expect(priv.violation).toBeNull();
    expect(shared.violation).toBeNull();
  });

  it('fork makes private memory copy-on-write: the child keeps the value from before', () => {
    const r = run([
      mmap(1),
      cpuWrite(0),
      { op: 'fork', on: 0, proc: 0 },
      cpuWrite(0),
      cpuRead(0, { proc: 1 }),
    ]);
    expect(r.violation).toBeNull();
    const reads = eventsOf(r, 'cpu-read');
    expect(reads[0]).toMatchObject({ pid: 1, v: 1 });
    expect(r.state.procs[0]?.pt[0]?.page).not.toBe(r.state.procs[1]?.pt[0]?.page);
  });
});

describe('device memory and migration', () => {
  it('a GPU fault migrates the page to VRAM; the CPU fault brings it back through migrate_to_ram', () => {
    const r = run([mmap(1), cpuWrite(0), gpuWrite(0), cpuRead(0)]);
    expect(r.violation).toBeNull();
    const read = eventsOf(r, 'cpu-read')[0];
    expect(read?.v).toBe(2);
    expect(r.stats['migrate_to_ram']).toBe(1);
    expect(isDevicePage(r.state, backingPage(r.state, 0, 0))).toBe(false);
  });

  it('pages the fault stream marks busy are not collected: partial migration, mixed placement', () => {
    // bit 1: page 1 of the range is busy (trylock_page fails) in the first migrate_vma_setup.
    const r = run([mmap(3), cpuWrite(0), cpuWrite(1), cpuWrite(2), migrate(0, 3, 'dev')], {
      faults: [0b010],
    });
    expect(r.violation).toBeNull();
    const m = eventsOf(r, 'migrate')[0];
    expect(m).toMatchObject({ cpages: 2, done: 2, n: 3 });
    const where = [0, 1, 2].map((v) => isDevicePage(r.state, backingPage(r.state, 0, v)));
    expect(where).toEqual([true, false, true]);
  });

  it('migrate_vma_pages can fail a collected page (unexpected reference): it stays in system memory', () => {
    const r = run([mmap(2), cpuWrite(0), cpuWrite(1), migrate(0, 2, 'dev')], { faults: [0b01 << 8] });
    const m = eventsOf(r, 'migrate')[0];
    expect(m).toMatchObject({ cpages: 2, done: 1 });
    expect(r.violation).toBeNull();
  });

  it('shmem pages are never migrated to device memory', () => {
    const r = run([mmap(2, { shared: true }), cpuWrite(0), migrate(0, 2, 'dev')]);
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'migrate')[0]?.done).toBe(0);
  });

  it('VRAM exhaustion leaves the rest of the range in system memory', () => {
    const cfg = { ...oneGpu, gpus: [{ mem: 'private' as const, vram: 1, hive: 0 }] };
    const r = run([mmap(3), cpuWrite(0), cpuWrite(1), migrate(0, 3, 'dev')], { config: cfg });
    expect(eventsOf(r, 'migrate')[0]).toMatchObject({ done: 1 });
    expect(r.violation).toBeNull();
  });

  it("another GPU's device-private page is faulted back to system memory by hmm_range_fault", () => {
    const r = run([mmap(1), gpuWrite(0, 0), gpuRead(0, 1)], { config: twoGpus });
    expect(r.violation).toBeNull();
    expect(r.stats['migrate_to_ram']).toBeGreaterThanOrEqual(1);
    const read = eventsOf(r, 'gpu-read')[0];
    expect(read).toMatchObject({ gpu: 1, v: 1 });
  });

  it('device-coherent VRAM is mapped by the CPU directly: no migrate_to_ram', () => {
    const cfg = { ...oneGpu, gpus: [{ mem: 'coherent' as const, vram: 2, hive: 0 }] };
    const r = run([mmap(1), gpuWrite(0), cpuRead(0)], { config: cfg });
    expect(r.violation).toBeNull();
    expect(r.stats['migrate_to_ram']).toBeUndefined();
    expect(r.state.procs[0]?.pt[0]?.t).toBe('p');
    expect(isDevicePage(r.state, r.state.procs[0]?.pt[0]?.page ?? -1)).toBe(true);
  });

  it('fork shares a device-private page read-only; a GPU write then breaks COW through system memory', () => {
    const r = run([
      mmap(1),
      gpuWrite(0),
      { op: 'fork', on: 0, proc: 0 },
      gpuWrite(0),
      cpuRead(0, { proc: 1 }),
    ]);
    expect(r.violation).toBeNull();
    expect(r.stats['write fault on read-only device page']).toBeGreaterThanOrEqual(1);
    expect(eventsOf(r, 'cpu-read')[0]).toMatchObject({ pid: 1, v: 1 });
  });
});
