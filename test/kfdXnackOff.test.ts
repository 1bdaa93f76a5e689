// The xnack-off suite's programs (Profile.registerRange: kfdtest's RegisterSVMRange, then the range
// acted on whole), kfd's PTE write bit as svm_range_map_to_gpu sets it (the VMA and GPU_RO, not each
// pfn's HMM_PFN_WRITE), and a GPU_RO change that set_attr leaves to restore_work while the queues
// are stopped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kfd } from '../drivers/kfd.js';
import { reference } from '../drivers/reference.js';
import { programArb } from '../generators/programArb.js';
import { profileByName } from '../generators/profiles.js';
import { openFindingFor } from '../model/openFinding.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { FLAG_GPU_ALWAYS_MAPPED, FLAG_GPU_RO } from '../model/uapi.js';
import { cpuRead, cpuWrite, eventsOf, gpuWrite, mmap, oneGpu, run, setAttr } from './helpers.js';

const mprotect = (prot: 'r' | 'rw'): Op => ({ op: 'mprotect', on: 0, proc: 0, vma: 0, off: 0, len: 1, prot });

describe('suite xnack-off', () => {
  const profile = profileByName('xnack-off');
  it('registers the first mapping for every GPU, then sets attributes and unmaps that range whole', () => {
    if (!profile) throw new Error('no suite xnack-off');
    for (const p of fc.sample(programArb(profile), { numRuns: 300, seed: 22 })) {
      expect(p.config.xnack).toBe('off');
      const [first, register, ...rest] = p.ops;
      if (first?.op !== 'mmap') throw new Error('a program starts with mmap');
      expect(register).toEqual({
        op: 'svm_set_attr',
        on: 0,
        proc: 0,
        vma: 0,
        off: 0,
        len: first.pages,
        attrs: p.config.gpus.map((_, g) => ({ t: 'access', v: g })),
      });
      for (const op of rest) {
        expect(['fork', 'exit', 'mprotect', 'gpuvm_map']).not.toContain(op.op);
        if (op.op !== 'svm_set_attr' && op.op !== 'munmap') continue;
        expect([op.proc, op.vma, op.off, op.len]).toEqual([0, 0, 0, first.pages]);
        if (op.op === 'svm_set_attr') expect(op.attrs.map((a) => a.t)).not.toContain('noaccess');
      }
    }
  });
});

describe("kfd's GPU PTE write bit (svm_range_map_to_gpu)", () => {
  // A page in gpu0's VRAM write-protected by mprotect(PROT_READ) keeps a read-only device-private
  // entry after mprotect(PROT_READ|PROT_WRITE); hmm_range_fault reports our own device page as it
  // is, without faulting it for write.
  const program = (): Op[] => [
    mmap(1),
    setAttr([
      { t: 'access', v: 0 },
      { t: 'prefetch', v: 1 },
    ]),
    mprotect('r'),
    mprotect('rw'),
    gpuWrite(0),
  ];
  it('kfd maps it writable (VM_WRITE, no GPU_RO), which xnack-off-restore-fresh reports (open: kfd-e93a8bc4c381)', () => {
    const r = run(program(), { driver: kfd, config: { ...oneGpu, xnack: 'off' } });
    expect(r.violation?.invariant).toBe('xnack-off-restore-fresh');
    if (!r.violation) throw new Error('no violation');
    expect(openFindingFor(kfd.openFindings, r.violation, r.state, r.stats)).toBe('kfd-e93a8bc4c381');
    expect(eventsOf(r, 'gpu-map').at(-1)?.w).toBe(true);
  });
  it("the reference honours the pfn's HMM_PFN_WRITE: the GPU write moves the page to system memory", () => {
    const r = run(program(), { driver: reference });
    expect(r.violation).toBeNull();
    const maps = eventsOf(r, 'gpu-map');
    const vram = maps[0]?.page;
    expect(maps.at(-1)?.page).not.toBe(vram);
    expect(maps.slice(1).some((m) => m.page === vram && m.w)).toBe(false);
  });
});

describe('kfd with XNACK off: set_attr GPU_RO and a prefetch on a mapped range', () => {
  it('leaves the PTEs to restore_work with the queues stopped, which maps them read-only', () => {
    const config: Config = {
      ...oneGpu,
      gpus: [...oneGpu.gpus, { mem: 'private', vram: 1, hive: 0 }],
      xnack: 'off',
    };
    const r = run(
      [
        mmap(1),
        setAttr([
          { t: 'access', v: 0 },
          { t: 'access', v: 1 },
        ]),
        setAttr([
          { t: 'prefetch', v: 1 },
          { t: 'set_flags', v: FLAG_GPU_RO | FLAG_GPU_ALWAYS_MAPPED },
        ]),
      ],
      { driver: kfd, config },
    );
    expect(r.violation).toBeNull();
    const resumed = eventsOf(r, 'queues').filter((e) => e.what === 'resume');
    expect(resumed.length).toBeGreaterThan(0);
    const last = new Map(eventsOf(r, 'gpu-map').map((m) => [m.gpu, m.w]));
    expect([...last.values()]).toEqual([false, false]);
  });
});

describe("kfd's migration between two GPUs (svm_migrate_vram_to_vram)", () => {
  // Two GPUs of one XGMI hive; the range is prefetched to gpu0, then to gpu1.
  const config: Config = {
    ...oneGpu,
    gpus: [
      { mem: 'private', vram: 2, hive: 0 },
      { mem: 'private', vram: 2, hive: 0 },
    ],
  };
  const both = (attrs: Extract<Op, { op: 'svm_set_attr' }>['attrs']): Op => ({
    op: 'svm_set_attr',
    on: 0,
    proc: 0,
    vma: 0,
    off: 0,
    len: 2,
    attrs,
  });
  const program: Op[] = [
    mmap(2),
    cpuWrite(0),
    both([
      { t: 'access', v: 0 },
      { t: 'access', v: 1 },
      { t: 'prefetch', v: 1 },
    ]),
    both([{ t: 'prefetch', v: 2 }]),
    cpuRead(0),
  ];
  for (const xnack of ['on', 'off'] as const)
    it(`goes through system memory, even within a hive (XNACK ${xnack})`, () => {
      const r = run(program, { driver: kfd, config: { ...config, xnack } });
      expect(r.violation).toBeNull();
      // To gpu0, the whole range back to RAM, to gpu1; then the CPU read's migrate_to_ram.
      expect(eventsOf(r, 'migrate').map((m) => `${m.to}:${m.done}`)).toEqual([
        'dev:2',
        'sys:2',
        'dev:2',
        'sys:2',
      ]);
      const [cpu] = eventsOf(r, 'cpu-read');
      expect(cpu?.v).toBe(cpu?.want);
    });
  it('the reference does not bridge through system memory', () => {
    const r = run(program, { driver: reference, config });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'migrate').map((m) => m.to)).toEqual(['dev', 'dev', 'sys']);
  });
});
