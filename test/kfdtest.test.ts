// AMD's kfdtest SVM tests (ROCm/ROCR-Runtime tests/kfdtest/src/KFDSVMRangeTest.cpp, read at
// 0696f06c162f) that the model can express, as scenarios of the kfd driver with XNACK on and off.
// RegisterSVMRange (KFDTestUtil.cpp) is one set_attr: PREFETCH_LOC and PREFERRED_LOC = the prefetch
// node (0: system memory), SET_FLAGS, ACCESS = the GPU. A GPU kernel's dword copy is a GPU read of
// the source and a GPU write of the destination. The README's kfd section lists what is not encoded.
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { FLAG_COHERENT, FLAG_HOST_ACCESS, LOC_SYSMEM, LOC_UNDEFINED } from '../model/uapi.js';
import { cpuRead, cpuWrite, eventsOf, gpuRead, gpuWrite, mmap, oneGpu, run, setAttr } from './helpers.js';

const FLAGS = FLAG_HOST_ACCESS | FLAG_COHERENT;
/** RegisterSVMRange(gpu 0, VMA vma + off, len pages, prefetch node `loc` (0: system memory, g + 1: GPU g), default flags). */
const registerAt = (vma: number, off: number, len: number, loc: number): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
  attrs: [
    { t: 'prefetch', v: loc },
    { t: 'preferred', v: loc },
    { t: 'set_flags', v: FLAGS },
    { t: 'access', v: 0 },
  ],
});
/** RegisterSVMRange with the prefetch node system memory. */
const register = (vma: number, off: number, len: number): Op => registerAt(vma, off, len, LOC_SYSMEM);
const getAttr = (vma: number, off: number, len: number): Op => ({
  op: 'svm_get_attr',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
});

for (const xnack of ['on', 'off'] as const) {
  const config: Config = { ...oneGpu, xnack };
  describe(`KFDSVMRangeTest with XNACK ${xnack}`, () => {
    it('BasicSystemMemTest: a GPU copies a registered system page to another', () => {
      // src and dst are two one-page HsaSVMRanges; src is filled by the CPU first.
      const r = run(
        [
          mmap(1),
          mmap(1),
          cpuWrite(0),
          register(0, 0, 1),
          register(1, 0, 1),
          gpuRead(0),
          gpuWrite(0, 0, { vma: 1 } as Partial<Op>),
          cpuRead(0, { vma: 1 } as Partial<Op>),
        ],
        { driver: kfd, config },
      );
      expect(r.violation).toBeNull();
      const [read] = eventsOf(r, 'gpu-read');
      expect(read?.v).toBe(read?.want);
      expect(eventsOf(r, 'gpu-error')).toEqual([]);
      const [cpu] = eventsOf(r, 'cpu-read');
      expect(cpu?.v).toBe(cpu?.want);
    });

    it('SetGetAttributesTest: the defaults (access by XNACK mode, granularity 9), then a set/get round trip', () => {
      // kfdtest's inputAttributes (the 0x3F granularity of its later form; the earlier 0xFF is
      // clamped to 0x3F by svm_range_apply_attrs), the GPU the prefetch and preferred node.
      const set = setAttr([
        { t: 'prefetch', v: 1 },
        { t: 'preferred', v: 1 },
        { t: 'set_flags', v: FLAGS },
        { t: 'gran', v: 0x3f },
        { t: 'access', v: 0 },
      ]);
      const r = run([mmap(1), getAttr(0, 0, 1), set, getAttr(0, 0, 1)], { driver: kfd, config });
      expect(r.violation).toBeNull();
      const [before, after] = eventsOf(r, 'svm-get-attr');
      // expectedDefaultResults: granularity 9, svms->default_granularity in the kernel's unit (log2
      // of 4 KiB pages), the unit a value set by the user is stored and reported in.
      expect(before?.got).toMatchObject({
        preferred: LOC_UNDEFINED,
        prefetch: LOC_UNDEFINED,
        flagsAnd: FLAGS,
        gran: 9,
        access: xnack === 'on' ? 1 : 0,
      });
      expect(after?.got).toMatchObject({ preferred: 1, prefetch: 1, gran: 0x3f, access: 1 });
      expect((after?.got?.flagsAnd ?? 0) & FLAGS).toBe(FLAGS);
    });

    it('SplitSystemRangeTest case 1: a page registered again inside a registered range', () => {
      const r = run([mmap(6), register(0, 0, 6), register(0, 2, 1), gpuRead(2), gpuRead(5)], {
        driver: kfd,
        config,
      });
      expect(r.violation).toBeNull();
      expect(eventsOf(r, 'gpu-error')).toEqual([]);
    });

    it('EvictSystemRangeTest: after fork, the parent writes its COW page and the GPU reads the new copy', () => {
      const r = run(
        [
          mmap(1),
          cpuWrite(0),
          register(0, 0, 1),
          gpuRead(0),
          { op: 'fork', on: 0, proc: 0 },
          cpuWrite(0),
          gpuRead(0),
        ],
        {
          driver: kfd,
          config,
        },
      );
      expect(r.violation).toBeNull();
      const reads = eventsOf(r, 'gpu-read');
      expect(reads).toHaveLength(2);
      for (const g of reads) expect(g.v).toBe(g.want);
      // With XNACK off the parent's COW break evicts the queues and restore_work remaps the new copy.
      if (xnack === 'off') expect(eventsOf(r, 'queues').map((e) => e.what)).toContain('resume');
    });
  });
}

// The rest of SplitRangeTest, PartialUnmapSysMemTest, BasicVramTest and MigrateTest, scaled to the
// model's 8 VA pages: kfdtest's BufSize (16 pages) is 4 here, 8192 bytes one page, 65536 two.
const munmap = (vma: number, off: number, len: number): Op => ({
  op: 'munmap',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
});
const prefetchTo = (vma: number, len: number, loc: number): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma,
  off: 0,
  len,
  attrs: [{ t: 'prefetch', v: loc }],
});

/** SplitRangeTest's cases 2.1 to 6: [mapping size, registrations (offset, length)], then every page read. */
const SPLIT_CASES: ReadonlyArray<[string, number, ReadonlyArray<[number, number]>]> = [
  [
    '2.1: the tail registered again',
    4,
    [
      [0, 4],
      [1, 3],
    ],
  ],
  [
    '2.2: a range reaching past the first one',
    5,
    [
      [0, 4],
      [1, 4],
    ],
  ],
  [
    '3: the head registered again',
    4,
    [
      [0, 4],
      [0, 3],
    ],
  ],
  [
    '4.1: the same range again',
    4,
    [
      [0, 4],
      [0, 4],
    ],
  ],
  [
    '4.2: a range covering it and more',
    5,
    [
      [0, 4],
      [0, 5],
    ],
  ],
  [
    '5: two small ranges, then one over both and more',
    6,
    [
      [1, 1],
      [3, 1],
      [0, 6],
    ],
  ],
];

for (const xnack of ['on', 'off'] as const) {
  // kfdtest runs on GPUs whose VRAM holds every range it registers many times over; kfd's BOs are
  // sized to whole ranges (svm_range_vram_node_new), so the scaled GPU gets VRAM for all 8 VA pages
  // here: these tests never oversubscribe VRAM on hardware, and TTM eviction is not what they test.
  const config: Config = { ...oneGpu, xnack, gpus: [{ mem: 'private', vram: 8, hive: 0 }] };
  for (const [prefetchName, loc] of [
    ['SplitSystemRangeTest', LOC_SYSMEM],
    ['SplitVramRangeTest', 1],
  ] as const)
    describe(`KFDSVMRangeTest ${prefetchName} with XNACK ${xnack}`, () => {
      for (const [name, pages, regs] of SPLIT_CASES)
        it(`case ${name}`, () => {
          const ops: Op[] = [mmap(pages), ...regs.map(([off, len]) => registerAt(0, off, len, loc))];
          const registered = new Set(
            regs.flatMap(([off, len]) => [...Array(len).keys()].map((i) => off + i)),
          );
          for (const p of registered) ops.push(gpuRead(p));
          const r = run(ops, { driver: kfd, config });
          expect(r.violation).toBeNull();
          expect(eventsOf(r, 'svm-set-attr').map((e) => e.err)).toEqual(regs.map(() => '0'));
          expect(eventsOf(r, 'gpu-error')).toEqual([]);
          for (const g of eventsOf(r, 'gpu-read')) expect(g.v).toBe(g.want);
        });
      it('case 6: a range registered, then its mapping unmapped', () => {
        const r = run([mmap(4), registerAt(0, 1, 1, loc), munmap(0, 0, 4), mmap(4), cpuRead(1)], {
          driver: kfd,
          config,
        });
        expect(r.violation).toBeNull();
      });
    });

  describe(`KFDSVMRangeTest memory tests with XNACK ${xnack}`, () => {
    it('PartialUnmapSysMemTest: a registered range partly unmapped; the GPU reads both remaining parts', () => {
      const ops: Op[] = [mmap(1), mmap(6), registerAt(0, 0, 1, LOC_SYSMEM), registerAt(1, 0, 6, LOC_SYSMEM)];
      for (let p = 0; p < 6; p++) ops.push(cpuWrite(p, { vma: 1 } as Partial<Op>));
      // munmap(pBuf + 8192, 4 pages): pages 1-4 of the six here; pBuf3 is page 5.
      ops.push(
        munmap(1, 1, 4),
        gpuRead(0, 0, { vma: 2 } as Partial<Op>),
        gpuRead(0, 0, { vma: 1 } as Partial<Op>),
      );
      const r = run(ops, { driver: kfd, config });
      expect(r.violation).toBeNull();
      expect(eventsOf(r, 'gpu-error')).toEqual([]);
      const reads = eventsOf(r, 'gpu-read');
      expect(reads).toHaveLength(2);
      for (const g of reads) expect(g.v).toBe(g.want);
    });

    it('BasicVramTest: a GPU copies system memory into a range prefetched to its VRAM and back out', () => {
      const r = run(
        [
          mmap(1),
          mmap(1),
          mmap(1),
          cpuWrite(0),
          registerAt(0, 0, 1, LOC_SYSMEM),
          registerAt(1, 0, 1, 1),
          registerAt(2, 0, 1, LOC_SYSMEM),
          gpuRead(0),
          gpuWrite(0, 0, { vma: 1 } as Partial<Op>),
          gpuRead(0, 0, { vma: 1 } as Partial<Op>),
          gpuWrite(0, 0, { vma: 2 } as Partial<Op>),
          cpuRead(0, { vma: 2 } as Partial<Op>),
        ],
        { driver: kfd, config },
      );
      expect(r.violation).toBeNull();
      expect(eventsOf(r, 'gpu-error')).toEqual([]);
      expect(eventsOf(r, 'migrate').some((m) => m.to === 'dev')).toBe(true);
      for (const g of eventsOf(r, 'gpu-read')) expect(g.v).toBe(g.want);
      const [cpu] = eventsOf(r, 'cpu-read');
      expect(cpu?.v).toBe(cpu?.want);
    });

    it('MigrateTest: prefetch to VRAM, a GPU (SDMA) write, the CPU reads it back through migration, twice', () => {
      const ops: Op[] = [mmap(2), registerAt(0, 0, 2, LOC_SYSMEM), prefetchTo(0, 2, LOC_SYSMEM)];
      for (let i = 0; i < 2; i++)
        ops.push(prefetchTo(0, 2, 1), gpuWrite(0), gpuWrite(1), cpuRead(0), cpuRead(1));
      const r = run(ops, { driver: kfd, config });
      expect(r.violation).toBeNull();
      expect(eventsOf(r, 'gpu-error')).toEqual([]);
      expect(eventsOf(r, 'migrate').filter((m) => m.to === 'dev').length).toBeGreaterThanOrEqual(2);
      const reads = eventsOf(r, 'cpu-read');
      expect(reads).toHaveLength(4);
      for (const c of reads) expect(c.v).toBe(c.want);
    });
  });
}
