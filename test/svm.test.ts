// The svm_range layer of the reference driver, checked against what kfd_svm.c does.
import { describe, expect, it } from 'vitest';
import { reference } from '../drivers/reference.js';
import { kfdLegacy } from '../drivers/broken/kfdLegacy.js';
import { backingPage, isDevicePage } from '../model/mem.js';
import type { Op } from '../model/ops.js';
import type { Attr } from '../model/uapi.js';
import { cpuRead, eventsOf, gpuRead, gpuWrite, mmap, run, twoGpus } from './helpers.js';

const setAttr = (off: number, len: number, attrs: Attr[], vma = 0): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
  attrs,
});
const getAttr = (off: number, len: number, vma = 0): Op => ({
  op: 'svm_get_attr',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
});
const ranges = (r: ReturnType<typeof run>): Array<[number, number]> =>
  (reference.ranges?.(r.state, 0) ?? []).map((x) => [x.start, x.last]);
const opts = { driver: reference };

describe('svm_range: set_attr and get_attr', () => {
  it('splits an existing range exactly at the request boundaries and fills gaps', () => {
    const r = run(
      [mmap(4), setAttr(0, 4, [{ t: 'gran', v: 2 }]), setAttr(1, 2, [{ t: 'preferred', v: 0 }])],
      opts,
    );
    expect(r.violation).toBeNull();
    expect(ranges(r)).toEqual([
      [0, 0],
      [1, 2],
      [3, 3],
    ]);
  });

  it('rejects a request that leaves the VMA with -EFAULT and changes nothing', () => {
    const r = run(
      [mmap(2), setAttr(0, 2, [{ t: 'gran', v: 0 }]), setAttr(1, 3, [{ t: 'gran', v: 2 }])],
      opts,
    );
    const set = eventsOf(r, 'svm-set-attr');
    expect(set.map((e) => e.err)).toEqual(['0', 'EFAULT']);
    expect(set[1]).toMatchObject({ applied: false, changed: false });
    expect(ranges(r)).toEqual([[0, 1]]);
    expect(r.violation).toBeNull();
  });

  it('rejects a GPU that does not exist with -EINVAL, and a userptr-mapped range with -EADDRINUSE', () => {
    const r = run(
      [
        mmap(4),
        setAttr(0, 1, [{ t: 'access', v: 3 }]),
        { op: 'gpuvm_map', on: 0, proc: 0, vma: 0, off: 2, len: 2 },
        setAttr(0, 4, [{ t: 'gran', v: 0 }]),
      ],
      opts,
    );
    expect(eventsOf(r, 'svm-set-attr').map((e) => e.err)).toEqual(['EINVAL', 'EADDRINUSE']);
    expect(r.violation).toBeNull();
  });

  it('get_attr aggregates as the kernel does: differing preferred_loc reads back undefined', () => {
    const r = run(
      [
        mmap(4),
        setAttr(0, 2, [{ t: 'preferred', v: 0 }]),
        setAttr(2, 2, [{ t: 'preferred', v: 1 }]),
        getAttr(0, 4),
        getAttr(0, 2),
      ],
      opts,
    );
    const got = eventsOf(r, 'svm-get-attr');
    expect(got.map((g) => g.got?.preferred)).toEqual([-1, 0]);
    expect(r.violation).toBeNull();
  });
});

describe('svm_range: faults, mixed placement, munmap', () => {
  it('a GPU fault on an unregistered address creates a range clipped to the VMA', () => {
    const r = run([mmap(3), gpuRead(0)], opts);
    expect(ranges(r)).toEqual([[0, 2]]);
    expect(eventsOf(r, 'svm-window')[0]).toMatchObject({ start: 0, last: 1 });
    expect(r.violation).toBeNull();
  });

  it('one range holds VRAM and system pages at once, each mapped with its own kind (seed 004)', () => {
    // Page 1's insertion fails during the fault's migration (mem_cgroup_charge): it stays in system memory.
    const r = run([mmap(2), gpuWrite(0), gpuWrite(1)], { ...opts, faults: [0b10 << 8] });
    expect(r.violation).toBeNull();
    const where = [0, 1].map((v) => isDevicePage(r.state, backingPage(r.state, 0, v)));
    expect(where).toEqual([true, false]);
    expect(ranges(r)).toEqual([[0, 1]]);
    const pt = r.state.gpuPt[0]?.[0] ?? [];
    expect(pt[0]?.page).toBe(backingPage(r.state, 0, 0));
    expect(pt[1]?.page).toBe(backingPage(r.state, 0, 1));
  });

  it('a CPU fault brings the granularity window back to system memory without splitting the range', () => {
    const r = run([mmap(4), setAttr(0, 4, [{ t: 'gran', v: 1 }]), gpuWrite(0), cpuRead(0)], opts);
    expect(r.violation).toBeNull();
    expect(ranges(r)).toEqual([[0, 3]]);
    expect(r.stats['migrate_to_ram']).toBe(1);
  });

  it('partial munmap zaps the GPU at once and leaves the range split; the deferred worker removes the rest', () => {
    const r = run(
      [mmap(4), gpuWrite(0), gpuWrite(1), { op: 'munmap', on: 0, proc: 0, vma: 0, off: 1, len: 1 }],
      opts,
    );
    expect(r.violation).toBeNull();
    expect(r.state.gpuPt[0]?.[0]?.[1]).toBeNull();
    expect(ranges(r)).toEqual([
      [0, 0],
      [2, 3],
    ]);
  });

  it('exit while the deferred worker waits for mmap_lock does not uncount the freed range twice (soak, seed 1)', () => {
    // Found by the 100k-run soak: RELEASE freed the range the worker had already picked, and the
    // worker's second decrement left svm_deferred at -1, so get_attr waited forever.
    const r = run(
      [
        mmap(2),
        { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 1, attrs: [{ t: 'set_flags', v: 1 }] },
        { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 },
        gpuWrite(0),
        { op: 'exit', on: 0, proc: 0 },
        { op: 'svm_get_attr', on: 1, proc: 0, vma: 0, off: 0, len: 1 },
      ],
      {
        config: { vaPages: 8, sysPages: 40, maxProcs: 3, gpus: [{ mem: 'private', vram: 1, hive: 0 }] },
        schedule: [0, 0, 0, 0, 2, 2, 1, 0, 2],
        driver: reference,
      },
    );
    expect(r.violation).toBeNull();
    expect(r.state.counters['svm_deferred:0'] ?? 0).toBe(0);
  });

  it('a GPU outside the hive of the VRAM holding a page gets it through system memory', () => {
    const r = run([mmap(1), gpuWrite(0, 0), gpuRead(0, 1)], { ...opts, config: twoGpus });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'gpu-read')[0]).toMatchObject({ gpu: 1, v: 1 });
  });
});

describe('kfd-legacy (the design seed 004 replaced)', () => {
  it('is caught with a coherence violation after a migration that moved only part of a range', () => {
    // Page 1 fails to migrate when the fault migrates the range: half of it moves.
    const r = run([mmap(2), gpuRead(0)], { driver: kfdLegacy, faults: [0b10 << 8] });
    expect(r.violation).toMatchObject({ cls: 'coherence', invariant: 'mirror-consistency' });
    const m = eventsOf(r, 'migrate')[0];
    expect(m && m.done < m.n && m.done > 0).toBe(true);
    // The reference design handles the same program.
    expect(run([mmap(2), gpuRead(0)], { driver: reference, faults: [0b10 << 8] }).violation).toBeNull();
  });
});
