// The workloads `svmcheck compare --workload` knows.
import { brkHeapPlan } from './brkHeapPlan.js';
import { twoGpuPlan } from './twoGpuPlan.js';
import type { Workload } from './workload.js';

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'brk-heap',
    summary:
      'malloc objects in a brk heap of more than 2 MiB and a thread arena, GPU-only objects beside CPU-only ones on the same pages, mmapped buffers of 128 KiB and more, CPU and GPU phases, a fork',
    seed: '000',
    plan: brkHeapPlan,
  },
  {
    name: 'two-gpu-agree',
    summary: 'two GPUs in one hive share two buffers; both name GPU 0 the preferred location',
    seed: '002',
    plan: (r) => twoGpuPlan({ hints: 'agree', hive: 'same' }, r),
  },
  {
    name: 'two-gpu-contradict',
    summary:
      'two GPUs in one hive share two buffers; before its phase each names itself the preferred location',
    seed: '002',
    plan: (r) => twoGpuPlan({ hints: 'contradict', hive: 'same' }, r),
  },
  {
    name: 'two-gpu-pcie',
    summary:
      'two GPUs in different hives (no peer access) share two buffers; both name GPU 0 the preferred location',
    seed: '002',
    plan: (r) => twoGpuPlan({ hints: 'agree', hive: 'different' }, r),
  },
  {
    name: 'two-gpu-contradict-pcie',
    summary:
      'two GPUs in different hives share two buffers; before its phase each names itself the preferred location',
    seed: '002',
    plan: (r) => twoGpuPlan({ hints: 'contradict', hive: 'different' }, r),
  },
];

export function workload(name: string): Workload | undefined {
  return WORKLOADS.find((w) => w.name === name);
}
