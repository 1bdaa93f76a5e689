// Scenario profiles: operation weights and sizes. A suite runs one profile against a driver.
import type { KernelVersion } from '../model/kernelVersion.js';
import type { OpKind } from '../model/ops.js';

export interface Profile {
  name: string;
  summary: string;
  weights: Record<OpKind, number>;
  maxOps: number;
  /** Most GPUs a generated configuration has. */
  maxGpus: number;
  /** Fewest GPUs a generated configuration has (absent: 1). */
  minGpus?: number;
  /** Probability-like weight (0-10) of choosing a device-coherent configuration. */
  coherent: number;
  /**
   * Draw explicit CPUs (1 or 2) and a preemption model (none, voluntary, full) for each program
   * (model/cpus.ts); absent: CPUs not modelled, Debian's PREEMPT_VOLUNTARY.
   */
  cpus?: boolean;
  /** The Linux release generated configurations follow (--kernel); absent: DEFAULT_KERNEL. */
  kernel?: KernelVersion;
  /** XNACK mode of generated configurations (--xnack, Config.xnack); absent: not set (on). */
  xnack?: 'on' | 'off';
  /**
   * kfdtest's RegisterSVMRange: the first mapping is registered with set_attr, access for every
   * GPU, and every later set_attr and munmap acts on that registered range whole (VMA #0 from its
   * start, the first mapping's length), so no range is ever cut; NO_ACCESS is never set.
   */
  registerRange?: boolean;
  /**
   * Pages one pmd maps in generated configurations (Config.pmdPages); absent: 512, so that no PMD
   * fits in the 8 VA pages. A small value lets a huge pmd, a PMD-sized hole and a device-private
   * THP fit.
   */
  pmdPages?: number;
  /** VRAM pages per GPU, [fewest, most]; absent: [1, 3]. */
  vram?: readonly [number, number];
}

const base: Record<OpKind, number> = {
  mmap: 4,
  munmap: 2,
  mprotect: 1,
  madvise_dontneed: 1,
  fork: 1,
  exit: 1,
  cpu_read: 4,
  cpu_write: 5,
  gpu_read: 4,
  gpu_write: 5,
  migrate: 3,
  svm_set_attr: 0,
  svm_get_attr: 0,
  gpuvm_map: 0,
  submit: 0,
  fence_wait: 0,
  reclaim: 0,
  device_unbind: 0,
  // Only the multi-device suite issues atomics: xe is the one family with an atomic fault path.
  gpu_atomic: 0,
};

/** The KFD SVM uAPI on top: attributes, prefetch, queries and the odd non-SVM mapping. */
const withRanges: Record<OpKind, number> = { ...base, svm_set_attr: 4, svm_get_attr: 2, gpuvm_map: 1 };

export const PROFILES: readonly Profile[] = [
  {
    name: 'mirror',
    summary: 'GPU faults mirrored while the CPU maps, unmaps, protects and discards memory',
    weights: { ...base, fork: 0, exit: 0, migrate: 1, munmap: 3, mprotect: 2, madvise_dontneed: 2 },
    maxOps: 14,
    maxGpus: 1,
    coherent: 0,
  },
  {
    name: 'migration',
    summary: 'explicit and fault-driven migration between system memory and VRAM, partial by design',
    weights: { ...base, fork: 0, exit: 0, migrate: 6, mprotect: 0, device_unbind: 1 },
    maxOps: 16,
    maxGpus: 2,
    coherent: 2,
  },
  {
    name: 'fork',
    summary: 'fork, copy-on-write and exit with pages in system memory and in VRAM',
    weights: { ...base, fork: 3, exit: 2 },
    maxOps: 16,
    maxGpus: 2,
    coherent: 1,
  },
  {
    name: 'multi-gpu',
    summary: 'two or three GPUs, in and out of one hive, faulting on the same pages',
    weights: { ...base, fork: 0, exit: 0, gpu_read: 6, gpu_write: 6, device_unbind: 1 },
    maxOps: 16,
    maxGpus: 3,
    coherent: 2,
  },
  {
    name: 'multi-device',
    summary:
      'two or three private-memory GPUs, some in one interconnect group: faults from several devices on one range, preferred locations (madvise) that agree or contradict, prefetch, eviction under VRAM pressure and unbind',
    weights: {
      ...base,
      // No fork, no mprotect: two behaviours of the code as read (xe_svm.c 0131514f9789,
      // drm_gpusvm.c 0542972950ef), archived open. hmm_range_fault() reports our own device-private
      // pages as they are, never faulting them for write, and drm_gpusvm binds a range with one
      // permission (DMA_BIDIRECTIONAL unless read_only): a page fork or mprotect write-protected is
      // mapped writable (counterexamples/xe-3a9ba535455c.json). drm_gpusvm never splits a range, and
      // an mprotect that leaves part of one unreadable or read-only makes every get_pages of it fail
      // (-EFAULT / -EPERM), which __xe_svm_handle_pagefault retries for ever
      // (counterexamples/xe-079bfd5cf6f7.json). With fork and mprotect at weight 1 the first is found
      // within 6-41 runs (seeds 1-5): it would be all this suite finds.
      fork: 0,
      exit: 1,
      mprotect: 0,
      madvise_dontneed: 1,
      gpu_read: 6,
      gpu_write: 6,
      // xe's devmem_only faults, migrated with a timeslice (xe_svm.c 0131514f9789).
      gpu_atomic: 3,
      migrate: 3,
      svm_set_attr: 3,
      device_unbind: 1,
      // Memory pressure runs the drm_pagemap shrinker (xe's `shrink`: unused pagemaps destroyed).
      reclaim: 1,
    },
    maxOps: 16,
    maxGpus: 3,
    minGpus: 2,
    // Room for the largest fault chunk (xe's SZ_2M, 4 model pages) on every device, as any real
    // VRAM has: an atomic needs its whole range in device memory (devmem_only), and a range larger
    // than the device's VRAM would fail it for scale alone.
    vram: [4, 6],
    coherent: 0,
  },
  {
    name: 'ranges',
    summary: 'svm_range attributes, splits on partial munmap, prefetch and faults over mixed placements',
    weights: { ...withRanges, fork: 0, exit: 0, mprotect: 1, munmap: 3 },
    maxOps: 16,
    maxGpus: 3,
    coherent: 0,
  },
  {
    // amdkfd with XNACK off (amdgpu.noretry=1): GPU faults are fatal, so a GPU reaches memory only
    // through a registered range, mapped when set_attr returns and kept by svm_range_evict's queue
    // quiesce and restore_work. Every program registers its first mapping (kfdtest's
    // RegisterSVMRange) and acts on it whole: no fork or exit (kfd's teardown outlives exit_mmap,
    // open: counterexamples/kfd-ea6e87e6e500.json), no NO_ACCESS (set_attr's TODO, open:
    // counterexamples/kfd-28dc3c4c7f7a.json), no range cut while it waits for restore_work
    // (split pieces start with invalid 0, open: counterexamples/kfd-9c3b878df1fc.json) and no
    // mprotect (a PTE is writable by VM_WRITE alone, whatever hmm_range_fault reported for our own
    // device-private page: see drivers/svm/svmDesign.ts, pteWriteFromVma).
    name: 'xnack-off',
    summary:
      'XNACK off: a registered range (set_attr, access for every GPU) evicted by CPU changes and migrations, its queues stopped and restored, GPU accesses through the mappings set_attr made',
    weights: {
      ...withRanges,
      fork: 0,
      exit: 0,
      mprotect: 0,
      gpuvm_map: 0,
      munmap: 1,
      gpu_read: 5,
      gpu_write: 5,
    },
    maxOps: 14,
    maxGpus: 3,
    coherent: 0,
    xnack: 'off',
    registerRange: true,
  },
  {
    name: 'fences',
    summary:
      'command submission on shared and preemptible engines: jobs stalled on GPU faults, fences and their dependencies, eviction and notifiers waiting on fences',
    weights: {
      ...base,
      fork: 0,
      exit: 1,
      mprotect: 0,
      madvise_dontneed: 1,
      munmap: 2,
      cpu_read: 2,
      cpu_write: 2,
      gpu_read: 1,
      gpu_write: 1,
      migrate: 2,
      submit: 10,
      fence_wait: 2,
      reclaim: 1,
    },
    maxOps: 12,
    maxGpus: 2,
    coherent: 0,
  },
  {
    name: 'cpus',
    summary:
      'one or two CPUs under PREEMPT_NONE, VOLUNTARY or FULL: faults, migration and deferred work competing for a CPU',
    weights: { ...withRanges, fork: 1, exit: 1, migrate: 4, gpu_read: 5, gpu_write: 5, device_unbind: 1 },
    maxOps: 12,
    maxGpus: 2,
    coherent: 0,
    cpus: true,
  },
  {
    // Device-private large folios (kernelRules.ts device_private_thp): with 4-page pmds two PMDs
    // fit in the 8 VA pages and a GPU's VRAM holds a device folio, so a whole-PMD migration of an
    // empty or huge range makes a device-private pmd entry where the release has them (lib/test_hmm
    // selects MIGRATE_VMA_SELECT_COMPOUND), and fork, faults, mprotect and partial munmap meet it.
    // Drivers that never select it meet the small geometry only (hmm_range_fault's fault segment,
    // mprotect's notifier range); xe and kfd reach their open fork/exit findings here as elsewhere.
    name: 'thp',
    summary:
      'device-private THPs on 4-page PMDs: whole-PMD migrations, then fork, CPU and GPU faults, mprotect and partial munmap of the device-private pmd',
    weights: { ...base, migrate: 6, mprotect: 2, munmap: 3, madvise_dontneed: 1, exit: 1 },
    maxOps: 16,
    maxGpus: 2,
    coherent: 0,
    pmdPages: 4,
    vram: [4, 8],
  },
  {
    name: 'default',
    summary: 'everything at once',
    weights: { ...withRanges, device_unbind: 1 },
    maxOps: 16,
    maxGpus: 3,
    coherent: 1,
  },
];

export function profileByName(name: string): Profile | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** The suites `npm start` runs. */
export const DEFAULT_SUITES = ['mirror', 'migration', 'fork', 'multi-gpu', 'ranges'] as const;
