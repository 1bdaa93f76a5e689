// kfd's prefetch (svm_range_set_attr's PREFETCH_LOC, and the program's migrate operation) goes
// through svm_range_best_prefetch_location (kfd_svm.c at 8f8cc3fb4350): with XNACK off every GPU
// with access is mapped up front, so a range one of them could not reach in another hive's VRAM
// stays in system memory.
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import type { Op } from '../model/ops.js';
import { mmap, oneGpu, run, setAttr } from './helpers.js';

describe('what keeps a range out of VRAM its GPUs cannot all reach', () => {
  const threeGpus = {
    ...oneGpu,
    xnack: 'off' as const,
    gpus: [
      { mem: 'private' as const, vram: 1, hive: 0 },
      { mem: 'private' as const, vram: 1, hive: 1 },
      { mem: 'private' as const, vram: 1, hive: 0 },
    ],
  };
  it('kfd: a prefetch to gpu0 of a range gpu1 (another hive) has access to stays in system memory', () => {
    // svm_range_best_prefetch_location: with XNACK off every GPU with access is mapped up front.
    const ops: Op[] = [
      mmap(1),
      setAttr(
        [
          { t: 'access', v: 0 },
          { t: 'access', v: 1 },
          { t: 'access', v: 2 },
        ],
        1,
      ),
      { op: 'migrate', on: 0, gpu: 0, proc: 0, vma: 0, off: 0, len: 1, to: 'dev' },
    ];
    const r = run(ops, { driver: kfd, config: threeGpus });
    expect(r.violation).toBeNull();
    expect(r.state.procs[0]?.pt[0]?.t).toBe('p');
  });
});
