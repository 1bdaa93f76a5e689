// The oracle of shared anonymous memory: a write into a shmem page is a write to the object at that
// offset (model/mem.ts writeValue), also when it comes through a GPU PTE that an unmap of the
// writer's address has not torn down yet. Found by the cpus suite on fence-reference (seed 9071):
// munmap's notifier waits for the GPU unmap job while the GPU writes the page the fork child still
// maps; the child then reads the GPU's value, which the oracle had recorded nowhere.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { fenceReference } from '../drivers/policies/fenceReference.js';
import type { Program } from '../model/program.js';

const program: Program = {
  config: {
    cpus: 1,
    preempt: 'none',
    vaPages: 8,
    sysPages: 40,
    maxProcs: 3,
    gpus: [{ mem: 'private', vram: 1, hive: 0 }],
  },
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 4, prot: 'rw', shared: true },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 3 },
    { op: 'fork', on: 0, proc: 0 },
    { op: 'munmap', on: 0, proc: 0, vma: 0, off: 3, len: 1 },
    { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 7 },
    { op: 'cpu_read', on: 0, proc: 1, vma: 0, off: 3 },
  ],
  schedule: [],
  faults: [],
};

describe('shared memory written through a GPU PTE while its unmap waits for the GPU', () => {
  it('the write lands in the object: the child reads it, and the oracle expects it', () => {
    const r = execute(fenceReference, program, { trace: true });
    expect(r.violation).toBeNull();
    const write = r.trace.flatMap((t) => t.events).find((e) => e.e === 'gpu-write');
    const read = r.trace.flatMap((t) => t.events).find((e) => e.e === 'cpu-read' && e.pid === 1);
    expect(write && 'v' in write ? write.v : -1).toBeGreaterThan(0);
    expect(read && 'v' in read ? read.v : -2).toBe(write && 'v' in write ? write.v : -1);
  });
});
