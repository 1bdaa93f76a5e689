// The policies `svmcheck compare` knows, at 4 KiB a model page (model/kernel/pmd.ts): 64 KiB is 16
// pages, 2 MiB is 512 (kfd's default granularity, 9). kfd's window is clipped to the svm_range, and
// every VMA is registered as one range, so a 2 MiB window is clipped to the VMA as Oak Zeng
// describes in seed 000; a heap larger than 2 MiB keeps the two apart.
import { gpusvm } from '../gpusvm.js';
import { makeGpusvmDriver } from '../gpusvm/makeGpusvmDriver.js';
import { kfd } from '../kfd.js';
import { makeKfdDriver } from '../kfd/makeKfdDriver.js';
import { reference } from '../reference.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';
import { LOC_SYSMEM } from '../../model/uapi.js';
import type { CostPolicy } from './costPolicy.js';

/**
 * kfd's range size unscaled: svm_range_set_max_pages() (kfd_svm.c, Linux 6.6) caps a range at 1/32
 * of VRAM, rounded down to a power of two, clamped to [2 MiB, 1 GiB]: 512 MiB (2^17 pages) on a
 * 16 GiB GPU. A registered VMA is then one range.
 */
const MAX_RANGE_PAGES = 1 << 17;

/**
 * The svm_range family as the reference designs it (seed 004: mixed mappings, partial migration,
 * a page in another GPU's VRAM is not collected by a migration to VRAM), with no open findings:
 * the policies measured on every workload.
 */
const svmReference = makeSvmDriver(reference.name, reference.summary, { maxRangePages: MAX_RANGE_PAGES });

/**
 * amdkfd as it ships (drivers/kfd: svm_migrate_vram_to_vram through system memory, the PTE write
 * bit from the VMA, XNACK on): what seed 002's preferred-location argument is about. Its open
 * findings (upstream behaviour, archived open) stop a comparison that reaches one, as the fork of
 * brk-heap does (mirror-consistency, counterexamples/kfd-721040332cca).
 */
const kfdShipped = makeKfdDriver(kfd.name, kfd.summary, { maxRangePages: MAX_RANGE_PAGES });

/** kfd's granularity attribute: log2 of the window in pages. 10 spans the whole address space. */
const granularity = (log2: number): CostPolicy['register'] => [{ t: 'gran', v: log2 }];

const svm = (name: string, summary: string, log2: number, more: Partial<CostPolicy> = {}): CostPolicy => ({
  name,
  summary,
  driver: svmReference,
  register: granularity(log2),
  prefetch: false,
  hints: true,
  ...more,
});

/** drm_gpusvm with xe's chunk sizes (largest first, each aligned and inside the VMA). */
const gpusvmChunks = (name: string, chunks: readonly number[], what: string): CostPolicy => ({
  name,
  summary: `drm_gpusvm ranges of ${what} (the largest aligned chunk inside the VMA), migrated whole to the faulting GPU; no KFD attributes`,
  // drm_gpusvm_init's notifier size: xe passes 512 MiB; xe_svm_handle_pagefault's
  // check_pages_threshold on a discrete GPU: 64 KiB.
  driver: makeGpusvmDriver(gpusvm.name, gpusvm.summary, {
    notifierPages: 1 << 17,
    chunks,
    checkPagesThreshold: 16,
  }),
  register: null,
  prefetch: false,
  hints: false,
});

export const COST_POLICIES: readonly CostPolicy[] = [
  svm('page', 'svm_range (reference), granularity 4 KiB: a fault migrates its own page only', 0),
  svm(
    'win64k',
    'svm_range (reference), granularity 64 KiB: the aligned 64 KiB around the fault, clipped to the VMA',
    4,
  ),
  svm(
    'win2m',
    "svm_range (reference), kfd's default granularity 2 MiB: the aligned 2 MiB around the fault, clipped to the VMA",
    9,
  ),
  svm('vma', 'svm_range (reference), a window larger than any VMA: a fault migrates its whole VMA', 10),
  svm(
    'remote',
    'svm_range (reference), preferred location system memory: faults map system pages remotely, nothing migrates',
    0,
    {
      register: [
        { t: 'gran', v: 0 },
        { t: 'preferred', v: LOC_SYSMEM },
      ],
      hints: false,
    },
  ),
  svm(
    'prefetch',
    'svm_range (reference), granularity 4 KiB, and the pages of each GPU phase prefetched to its GPU first',
    0,
    {
      prefetch: true,
    },
  ),
  gpusvmChunks('gpusvm', [512, 16, 1], '2 MiB, 64 KiB or 4 KiB'),
  gpusvmChunks('gpusvm-64k', [16, 1], '64 KiB or 4 KiB'),
  gpusvmChunks('gpusvm-4k', [1], '4 KiB'),
  svm('kfd-page', 'amdkfd as it ships (VRAM to VRAM through RAM), granularity 4 KiB', 0, {
    driver: kfdShipped,
  }),
  svm('kfd-2m', 'amdkfd as it ships (VRAM to VRAM through RAM), its default granularity 2 MiB', 9, {
    driver: kfdShipped,
  }),
];

/** The policies compared when --policies is not given: those on a driver without open findings. */
export const DEFAULT_COST_POLICIES: readonly CostPolicy[] = COST_POLICIES.filter(
  (p) => !p.driver.openFindings?.length,
);

export function costPolicy(name: string): CostPolicy | undefined {
  return COST_POLICIES.find((p) => p.name === name);
}
