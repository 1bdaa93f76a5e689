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
import { cpuRead, cpuWrite, eventsOf, gpuRead, gpuWrite, mmap, oneGpu, run } from './helpers.js';

const FLAGS = FLAG_HOST_ACCESS | FLAG_COHERENT;
/** RegisterSVMRange(gpu 0, VMA vma + off, len pages, prefetch node: system memory, default flags). */
const register = (vma: number, off: number, len: number): Op => ({
  op: 'svm_set_attr',
  on: 0,
  proc: 0,
  vma,
  off,
  len,
  attrs: [
    { t: 'prefetch', v: LOC_SYSMEM },
    { t: 'preferred', v: LOC_SYSMEM },
    { t: 'set_flags', v: FLAGS },
    { t: 'access', v: 0 },
  ],
});
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

    it('SetGetAttributesTest: the defaults (access by XNACK mode), then a set/get round trip', () => {
      const set: Op = {
        op: 'svm_set_attr',
        on: 0,
        proc: 0,
        vma: 0,
        off: 0,
        len: 1,
        attrs: [
          { t: 'prefetch', v: 1 },
          { t: 'preferred', v: 1 },
          { t: 'set_flags', v: FLAGS },
          { t: 'access', v: 0 },
        ],
      };
      const r = run([mmap(1), getAttr(0, 0, 1), set, getAttr(0, 0, 1)], { driver: kfd, config });
      expect(r.violation).toBeNull();
      const [before, after] = eventsOf(r, 'svm-get-attr');
      // Granularity is left out: kfdtest expects 9 (kernel units), the model reports its own unit.
      expect(before?.got).toMatchObject({
        preferred: LOC_UNDEFINED,
        prefetch: LOC_UNDEFINED,
        flagsAnd: FLAGS,
        access: xnack === 'on' ? 1 : 0,
      });
      expect(after?.got).toMatchObject({ preferred: 1, prefetch: 1, access: 1 });
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
