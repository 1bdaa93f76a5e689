// VRAM buffer objects of the reference driver: the refcount contract of ARCHITECTURE.md, eviction
// under pressure, and teardown at exit.
import { describe, expect, it } from 'vitest';
import { reference } from '../drivers/reference.js';
import { backingPage, isDevicePage } from '../model/mem.js';
import type { Op } from '../model/ops.js';
import { cpuRead, eventsOf, gpuWrite, mmap, oneGpu, run } from './helpers.js';

const opts = { driver: reference };
const bos = (r: ReturnType<typeof run>) => reference.bos?.(r.state) ?? [];
const gran = (g: number, vma = 0): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma,
  off: 0,
  len: 4,
  attrs: [{ t: 'gran', v: g }],
});

describe('VRAM BOs', () => {
  it('a migrated window lives in one BO referenced by each page and by the range node', () => {
    const r = run([mmap(2), gpuWrite(0)], opts);
    expect(r.violation).toBeNull();
    const [bo] = bos(r);
    expect(bo).toMatchObject({ state: 'live', nodeHolders: 1, vram: true });
    expect(bo?.ref).toBe(2 + 1);
  });

  it('when the last VRAM page of a range leaves, the node goes and the BO is freed by deferred work', () => {
    const r = run([mmap(2), gran(0), gpuWrite(0), cpuRead(0)], opts);
    expect(r.violation).toBeNull();
    expect(bos(r).map((b) => b.state)).toEqual(['freed']);
    expect(r.stats['BO freed']).toBe(1);
  });

  it('VRAM pressure evicts a BO: its pages go back to system memory with their data, from every range', () => {
    const cfg = { ...oneGpu, gpus: [{ mem: 'private' as const, vram: 2, hive: 0 }] };
    const second: Op = { op: 'gpu_write', gpu: 0, proc: 0, vma: 1, off: 0 };
    const r = run([mmap(2), mmap(2), gpuWrite(0), gpuWrite(1), second], { ...opts, config: cfg });
    expect(r.violation).toBeNull();
    expect(r.stats['eviction']).toBe(1);
    // The first range's pages are back in system memory and still hold what the GPU wrote.
    expect([0, 1].map((v) => isDevicePage(r.state, backingPage(r.state, 0, v)))).toEqual([false, false]);
    expect(r.state.cells[r.state.procs[0]?.cell[0] ?? -1]?.v).toBe(1);
    expect(bos(r)[0]).toMatchObject({ state: 'freed', vram: false });
  });

  it('splitting a range shares its BO: one more node reference', () => {
    const unmap: Op = { op: 'munmap', on: 0, proc: 0, vma: 0, off: 1, len: 1 };
    const cfg = { ...oneGpu, gpus: [{ mem: 'private' as const, vram: 4, hive: 0 }] };
    const r = run([mmap(4), gran(2), gpuWrite(0), unmap], { ...opts, config: cfg });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'migrate')[0]?.done).toBe(4);
    // [0, 0] and [2, 3] both hold the node; page 1's device page was freed with the munmap.
    const [bo] = bos(r);
    expect(bo).toMatchObject({ nodeHolders: 2, ref: 3 + 2 });
  });

  it('exit tears everything down: every BO and device page is free', () => {
    const exit: Op = { op: 'exit', on: 0, proc: 0 };
    const r = run([mmap(4), gran(2), gpuWrite(0), exit], opts);
    expect(r.violation).toBeNull();
    expect(bos(r).every((b) => b.state === 'freed')).toBe(true);
    expect(r.state.phys.filter((p) => p.gpu >= 0 && !p.free)).toHaveLength(0);
  });
});
