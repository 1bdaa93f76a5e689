// kfd's VRAM BOs as amdkfd allocates and evicts them (drivers/kfd/kfdVramNode.ts,
// drivers/kfd/kfdEvictSvmBo.ts): one BO per whole svm_range (svm_range_vram_node_new), shared by the
// pieces of a split, and TTM eviction walking svm_bo->range_list through the owning mm
// (svm_range_evict_svm_bo_worker), beside the reference's seed-004 BOs on the same programs.
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import { EVICTION_DISCARDED_WITH_DATA, EVICTION_MIGRATION_FAILED } from '../drivers/kfd/kfdEvictSvmBo.js';
import { reference } from '../drivers/reference.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import type { SvmState } from '../drivers/svm/svmState.js';
import { execute, type ExecResult } from '../check/execute.js';
import type { Program } from '../model/program.js';
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
  setAttr,
} from './helpers.js';

const drv = (r: ExecResult): SvmState => r.state.drv as SvmState;
const stat = (r: ExecResult, key: string): number => r.stats.get(key) ?? 0;
const access = (len: number): Op => setAttr([{ t: 'access', v: 0 }], len);

describe("kfd's whole-range BOs (svm_range_vram_node_new)", () => {
  it('a window of a range moves into a BO sized to the whole range, which the range holds', () => {
    const config: Config = { ...oneGpu, gpus: [{ mem: 'private', vram: 3, hive: 0 }] };
    const ops = [mmap(2), cpuWrite(0), access(2), migrate(0, 1, 'dev')];
    const k = run(ops, { driver: kfd, config });
    expect(k.violation).toBeNull();
    const [bo] = drv(k).bos;
    expect(bo?.slots.length).toBe(2);
    expect(bo?.start).toBe(0);
    expect(
      drv(k)
        .ranges.filter((r) => r.inTree)
        .map((r) => r.node?.bo),
    ).toEqual([bo?.id]);
    expect(stat(k, 'partially filled BO')).toBe(1);
    // seed 004's design: a BO sized to the one-page window, nothing of it unused.
    const ref = run(ops, { driver: reference, config });
    expect(ref.violation).toBeNull();
    expect(drv(ref).bos.map((b) => b.slots.length)).toEqual([1]);
    expect(stat(ref, 'partially filled BO')).toBe(0);
  });

  it('the pieces of a split share the BO, each with a reference (svm_range_split_nodes)', () => {
    const ops = [
      mmap(2),
      cpuWrite(0),
      cpuWrite(1),
      access(2),
      migrate(0, 2, 'dev'),
      setAttr([{ t: 'gran', v: 0 }], 1),
    ];
    const r = run(ops, { driver: kfd });
    expect(r.violation).toBeNull();
    const pieces = drv(r).ranges.filter((x) => x.inTree);
    expect(pieces.map((x) => [x.start, x.last])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    const [bo] = drv(r).bos;
    expect(pieces.map((x) => x.node?.bo)).toEqual([bo?.id, bo?.id]);
    // Two device pages and two nodes.
    expect(bo?.ref).toBe(4);
  });

  it('a range larger than the VRAM stays in system memory (-ENOSPC), without evicting anything', () => {
    const config: Config = { ...oneGpu, gpus: [{ mem: 'private', vram: 1, hive: 0 }] };
    const r = run([mmap(2), cpuWrite(0), access(2), migrate(0, 1, 'dev'), cpuRead(0)], {
      driver: kfd,
      config,
    });
    expect(r.violation).toBeNull();
    expect(drv(r).bos).toEqual([]);
    expect(stat(r, 'svm_migrate_ram_to_vram: range larger than VRAM (-ENOSPC)')).toBe(1);
    expect(stat(r, 'eviction')).toBe(0);
  });
});

describe("kfd's TTM eviction (svm_range_evict_svm_bo_worker)", () => {
  it('moves the ranges on the BO through the mm, signals the fence, and TTM takes the VRAM back', () => {
    const config: Config = { ...oneGpu, gpus: [{ mem: 'private', vram: 1, hive: 0 }] };
    const ops = [mmap(1), mmap(1), gpuWrite(0), gpuWrite(0, 0, { vma: 1 }), cpuRead(0)];
    const r = run(ops, { driver: kfd, config });
    expect(r.violation).toBeNull();
    expect(stat(r, 'eviction')).toBe(1);
    expect(stat(r, 'svm_bo evicted')).toBe(1);
    expect(stat(r, EVICTION_MIGRATION_FAILED)).toBe(0);
    expect(eventsOf(r, 'migrate').some((m) => m.to === 'sys' && m.done === 1)).toBe(true);
    const read = eventsOf(r, 'cpu-read')[0];
    expect(read?.v).toBe(read?.want);
  });

  // Upstream behaviour (kfd_svm.c at 006ad514a50c, kfd_migrate.c at 057ad0ef4da6, amdgpu_evict_flags):
  // with device-coherent VRAM, the parent's write after fork copies its page to system memory and the
  // child keeps the VRAM page; the worker walks the parent's range through the parent's VMAs, finds
  // no device page there, signals the fence, and TTM guts the DISCARDABLE BO under the child's page.
  // The reference evicts from the BO's own page list and moves the child's page too.
  it("does not reach a fork child's copy: TTM discards the VRAM under it (vram-accounting)", () => {
    const config: Config = { ...oneGpu, gpus: [{ mem: 'coherent', vram: 1, hive: 0 }] };
    const ops: Op[] = [
      mmap(1),
      mmap(1),
      gpuWrite(0),
      { op: 'fork', on: 0, proc: 0 },
      gpuWrite(0, 0, { vma: 1 }),
      cpuWrite(0),
    ];
    const k = run(ops, { driver: kfd, config });
    expect(k.violation?.invariant).toBe('vram-accounting');
    expect(stat(k, EVICTION_DISCARDED_WITH_DATA)).toBe(1);
    const ref = run(ops, { driver: reference, config });
    expect(ref.violation).toBeNull();
  });

  // Upstream behaviour as well (found by `svmcheck soak --driver kfd --seed 2204`, suite mirror): a
  // CPU fault holds the VRAM page's folio lock (do_swap_page, 6.15 on) while it waits for
  // svms->lock, which a GPU fault holds while its allocation evicts that page's BO. The worker cannot
  // lock the folio, gives up after three passes ("Migration failed during eviction"), signals, and
  // TTM frees the VRAM the CPU fault then copies from. The reference keeps such a BO resident.
  it('gives up on a page a CPU fault holds, and TTM discards the VRAM under it (vram-accounting)', () => {
    const program: Program = {
      config: {
        vaPages: 8,
        sysPages: 40,
        maxProcs: 3,
        kernel: '7.0',
        xnack: 'on',
        gpus: [{ mem: 'private', vram: 1, hive: 0 }],
      },
      ops: [
        mmap(4),
        { op: 'munmap', on: 1, proc: 0, vma: 0, off: 1, len: 1 },
        gpuRead(3),
        gpuRead(0),
        mmap(1, { on: 1 }),
        { op: 'mprotect', on: 0, proc: 0, vma: 0, off: 0, len: 3, prot: 'rw' },
        cpuRead(3, { on: 1, vma: 2 }),
      ],
      schedule: [0, 1, 2, 0, 0, 1, 0, 0, 0, 1, 2],
      faults: [],
    };
    const k = execute(kfd, program);
    expect(k.violation?.invariant).toBe('vram-accounting');
    expect(stat(k, EVICTION_MIGRATION_FAILED)).toBe(1);
    expect(execute(reference, program).violation).toBeNull();
  });
});
