// svms->faulting_task (kfd_svm.c at 8f8cc3fb4350, kfd_migrate.c at 057ad0ef4da6): the corner case
// of the commit that added it, "drm/amdkfd: avoid recursive lock in migrations back to RAM". A
// range with one page in system memory, read-only after fork, and one in the GPU's VRAM: set_attr
// maps it for write, hmm_range_fault write-faults the COW page, and hmm_vma_fault faults every page
// after it in the same walk, the device page too. kfd's svm_migrate_to_ram sees its own
// faulting_task and returns without migrating; the page stays in VRAM and is mapped there. The
// family's migrate_to_ram (the reference's, seed 004) would migrate it without svms->lock.
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import type { Driver } from '../model/driver.js';
import type { Op } from '../model/ops.js';
import { cpuWrite, gpuRead, mmap, oneGpu, run } from './helpers.js';

/** set_attr over the first `len` pages of VMA 0. */
const setAttr = (attrs: Extract<Op, { op: 'svm_set_attr' }>['attrs'], len = 2): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma: 0,
  off: 0,
  len,
  attrs,
});

/** Page 0 in system memory and page 1 in gpu0's VRAM, both read-only after fork; then a set_attr that maps both. */
const program: Op[] = [
  mmap(2),
  cpuWrite(0),
  cpuWrite(1),
  // Granularity 0: the GPU fault moves its own page only.
  setAttr([
    { t: 'gran', v: 0 },
    { t: 'access', v: 0 },
  ]),
  gpuRead(1),
  { op: 'fork', on: 0, proc: 0 },
  setAttr([{ t: 'set_flags', v: 0x1 }]),
];

const after = (d: Driver): { r: ReturnType<typeof run>; skipped: number; onGpu: boolean } => {
  const r = run(program, { driver: d, config: oneGpu });
  const pte = r.state.procs[0]?.pt[1] ?? null;
  return {
    r,
    skipped: r.stats.get('migrate_to_ram: faulting_task, migration skipped') ?? 0,
    onGpu: !!pte && pte.t === 'd',
  };
};

describe('svms->faulting_task', () => {
  it("kfd: set_attr's hmm_range_fault write-faults the COW page and skips its own device page", () => {
    const k = after(kfd);
    expect(k.skipped).toBeGreaterThan(0);
    // The device page stays in VRAM, read-only and shared with the child: hmm_range_fault reports
    // it as it is, and svm_range_map_to_gpu maps it writable by VM_WRITE, kfd's open finding
    // mirror-consistency (counterexamples/kfd-721040332cca), here reached through set_attr.
    expect(k.onGpu).toBe(true);
    expect(k.r.violation?.invariant).toBe('mirror-consistency');
    expect(kfd.openFindings).toContain('mirror-consistency');
  });
});

describe('what keeps a range out of VRAM its GPUs cannot all reach (so the skip cannot spin)', () => {
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
