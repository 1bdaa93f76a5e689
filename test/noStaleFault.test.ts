// no-stale-fault-state: a GPU fault raised on SVM memory of one mapping does not act on a later
// mapping at the same address. The schedule below holds the fault in the second interrupt ring
// while munmap drains and frees the range and mmap maps the address again.
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { gpuRead, mmap, run } from './helpers.js';

const config: Config = {
  vaPages: 8,
  sysPages: 40,
  maxProcs: 3,
  gpus: [{ mem: 'private', vram: 2, hive: 0 }],
};
const ops: Op[] = [
  mmap(1),
  { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 1, attrs: [{ t: 'gran', v: 0 }] },
  gpuRead(0),
  { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 },
  mmap(1),
];
const schedule = [0, 0, 2, 1, 1, 3, 0, 3, 0, 0, 3, 0];

describe('no-stale-fault-state', () => {
  it('the reference drains the fault with the range: it is dropped, not replayed on the new mapping', () => {
    expect(run(ops, { driver: reference, config, schedule }).violation).toBeNull();
  });

  it('svm-drain-misses-soft-ring handles it after the drain and is caught', () => {
    const d = builtinDriver('svm-drain-misses-soft-ring');
    if (!d) throw new Error('svm-drain-misses-soft-ring');
    const r = run(ops, { driver: d, config, schedule });
    expect(r.violation).toMatchObject({ invariant: 'no-stale-fault-state', cls: 'range' });
  });
});
