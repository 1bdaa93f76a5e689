// Seed 002's workload (002_4c4137a59a522749.txt): two devices work on the same buffers, and
// userspace tells the driver which device a range prefers. Christian König: with "range A..B is
// preferred to migrate to this device" per device, "page play ping/pong if userspace gives
// contradicting information". The CPU produces input, then each round GPU 0 reads buffer A and
// writes buffer B, GPU 1 reads B and updates part of A; at the end the CPU reads results. Each device has a
// scratch buffer of its own. Hints agree (both libraries name GPU 0, once) or contradict (before its
// phase, each device's library names its own device for both buffers).
import { PAGE_BYTES } from '../../model/costs/costs.js';
import { GlibcArena } from './glibcArena.js';
import type { Rng } from './rng.js';
import type { PageRef, PlanStep, PlanVma, WorkloadPlan } from './workloadPlan.js';

export interface TwoGpuShape {
  readonly hints: 'agree' | 'contradict';
  /** Both GPUs in one hive (XGMI: each reaches the other's VRAM) or in two (PCIe, no P2P). */
  readonly hive: 'same' | 'different';
}

const HEAP = 0;
const A = 1;
const B = 2;
const SCRATCH = [3, 4] as const;
const ROUNDS = 4;

export function twoGpuPlan(shape: TwoGpuShape, r: Rng): WorkloadPlan {
  // A small heap of CPU objects (the program's own bookkeeping) beside the shared buffers.
  const heap = new GlibcArena();
  for (let i = 0; i < 40; i++) heap.malloc(16 + r.int(4096));
  const pages = (lo: number, hi: number): number => lo + r.int(hi - lo + 1);
  const vmas: PlanVma[] = [
    { pages: heap.pages(), reserve: 0, what: 'brk heap' },
    { pages: pages(32, 64), reserve: 0, what: 'shared buffer A (mmap)' },
    { pages: pages(32, 64), reserve: 0, what: 'shared buffer B (mmap)' },
    { pages: 32, reserve: 0, what: 'GPU 0 scratch (mmap)' },
    { pages: 32, reserve: 0, what: 'GPU 1 scratch (mmap)' },
  ];
  const all = (v: number): number[] => Array.from({ length: vmas[v]?.pages ?? 0 }, (_, i) => i);
  const steps: PlanStep[] = [];
  const cpu = (vma: number, off: number, write: boolean): void => {
    steps.push({ k: 'cpu', on: 0, proc: 0, vma, off, write });
  };
  const used = Math.ceil(heap.used() / PAGE_BYTES);
  for (let p = 0; p < used; p++) cpu(HEAP, p, true);
  for (const v of [A, B, ...SCRATCH]) for (const p of all(v)) cpu(v, p, true);
  const prefer = (gpu: number): void => {
    for (const v of [A, B])
      steps.push({ k: 'prefer', on: 0, proc: 0, vma: v, off: 0, len: vmas[v]?.pages ?? 1, gpu });
  };
  if (shape.hints === 'agree') prefer(0);
  // What each device's kernel touches: fixed for the run (the same kernels every round).
  const aInput = all(A).filter(() => r.chance(0.25));
  const aByGpu1 = all(A).filter(() => r.chance(0.5));
  const bSample = all(B).filter(() => r.chance(0.25));
  const phase = (gpu: number, accesses: readonly { vma: number; off: number; write: boolean }[]): void => {
    if (shape.hints === 'contradict') prefer(gpu);
    const refs: PageRef[] = accesses.map((x) => ({ proc: 0, vma: x.vma, off: x.off }));
    steps.push({ k: 'launch', gpu, proc: 0, pages: refs });
    for (const x of accesses) steps.push({ k: 'gpu', gpu, proc: 0, vma: x.vma, off: x.off, write: x.write });
  };
  // The CPU produces the input once and reads the results at the end: what moves in between
  // moves between the devices.
  for (const p of aInput) cpu(A, p, true);
  for (let round = 0; round < ROUNDS; round++) {
    phase(0, [
      ...all(A).map((off) => ({ vma: A, off, write: false })),
      ...all(B).map((off) => ({ vma: B, off, write: true })),
      ...all(SCRATCH[0]).map((off) => ({ vma: SCRATCH[0], off, write: true })),
    ]);
    phase(1, [
      ...all(B).map((off) => ({ vma: B, off, write: false })),
      ...aByGpu1.map((off) => ({ vma: A, off, write: true })),
      ...all(SCRATCH[1]).map((off) => ({ vma: SCRATCH[1], off, write: true })),
    ]);
  }
  for (const p of bSample) cpu(B, p, false);
  return { vmas, steps, gpus: 2, hives: shape.hive === 'same' ? [0, 0] : [0, 1] };
}
