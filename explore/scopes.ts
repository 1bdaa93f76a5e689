// The named scopes, smallest first: each is small enough to cover exhaustively to its depth, and
// together they reach every interleaving shape the deliberately broken drivers need.
import type { Driver } from '../model/driver.js';
import { CORE_OP_KINDS } from '../model/ops.js';
import type { Scope } from './scope.js';
import { FLAG_GPU_RO } from '../model/uapi.js';

// One VA page: the smallest scopes must be exhaustive to depth 6 for every correct driver (two
// pages give 2.6 million states at depth 6 for mirror, a 3 GiB frontier).
const ONE_GPU: Scope['config'] = {
  vaPages: 1,
  sysPages: 3,
  gpus: [{ mem: 'private', vram: 1, hive: 0 }],
  maxProcs: 1,
};

// Two VA pages and a GPU with two VRAM pages: a range of both pages fits one BO.
const SVM_TWO_PAGES: Scope['config'] = {
  vaPages: 2,
  sysPages: 4,
  gpus: [{ mem: 'private', vram: 2, hive: 0 }],
  maxProcs: 1,
};

// Two VA pages and a GPU with one VRAM page: two one-page ranges compete for it (eviction).
const TWO_PAGES_ONE_VRAM: Scope['config'] = {
  vaPages: 2,
  sysPages: 4,
  gpus: [{ mem: 'private', vram: 1, hive: 0 }],
  maxProcs: 1,
};

/** Two device-private GPUs of one VRAM page each, the second in hive `hive2`; two spare system pages. */
const twoGpus = (vaPages: number, hive2: number): Scope['config'] => ({
  vaPages,
  sysPages: vaPages + 2,
  gpus: [
    { mem: 'private', vram: 1, hive: 0 },
    { mem: 'private', vram: 1, hive: hive2 },
  ],
  maxProcs: 1,
});

export const SCOPES: readonly Scope[] = [
  {
    name: 'tiny',
    summary: 'one CPU thread, one GPU with one VRAM page, one VA page, one process',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE_OP_KINDS,
    depth: 6,
  },
  // The smallest scope of the svm_range drivers: their bugs need set_attr (ranges, attributes,
  // splits), and a non-SVM GPU VM mapping is what set_attr must refuse.
  {
    name: 'svm-tiny',
    summary: 'tiny, plus svm set_attr / get_attr and a non-SVM GPU VM mapping',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: [...CORE_OP_KINDS, 'svm_set_attr', 'svm_get_attr', 'gpuvm_map'],
    depth: 6,
  },
  // The smallest scope of amdkfd as it ships (kfd, XNACK off): a range registered with set_attr is
  // mapped when set_attr returns; CPU changes and migrations evict it (queues quiesced), and
  // restore_work maps it again and resumes them. One page, so no range is ever cut (split pieces
  // start with invalid 0, open: counterexamples/kfd-9c3b878df1fc.json); no exit (GPU page tables
  // outlive exit_mmap, open: kfd-ea6e87e6e500), no NO_ACCESS (set_attr's TODO, open:
  // kfd-28dc3c4c7f7a), no mprotect (the suite xnack-off's reasons).
  {
    name: 'kfd-tiny',
    summary:
      'XNACK off, one CPU thread, one GPU with one VRAM page, one VA page: set_attr access / prefetch / GPU_RO, CPU and GPU accesses, MADV_DONTNEED, migration',
    config: { ...ONE_GPU, xnack: 'off' },
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: [
      'mmap',
      'munmap',
      'madvise_dontneed',
      'cpu_read',
      'cpu_write',
      'gpu_read',
      'gpu_write',
      'migrate',
      'svm_set_attr',
    ],
    attrs: [
      [{ t: 'access', v: 0 }],
      [{ t: 'prefetch', v: 1 }],
      [{ t: 'prefetch', v: 0 }],
      [{ t: 'set_flags', v: FLAG_GPU_RO }],
    ],
    depth: 6,
  },
  // kfd-tiny with two GPUs in different hives (two pgmap owners): validate_and_map's hmm_range_fault
  // then runs with owner NULL and faults every device page of the range. Only mmap and set_attr
  // (access for both GPUs, prefetch to the first): a range prefetched to VRAM and then given access
  // from the other hive goes back to system memory, and a page that move leaves behind (busy) is
  // faulted by the mapping's hmm_range_fault (catalog: kfd-faulting-task-livelock). Not a smallest
  // scope of any driver; explored for that entry only.
  {
    name: 'kfd-hives-tiny',
    summary:
      'XNACK off, one CPU thread, two GPUs in different hives with one VRAM page each, one VA page: mmap, set_attr access (both GPUs) / prefetch',
    config: { ...twoGpus(1, 1), xnack: 'off' },
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'svm_set_attr'],
    attrs: [
      [
        { t: 'access', v: 0 },
        { t: 'access', v: 1 },
      ],
      [{ t: 'prefetch', v: 1 }],
    ],
    depth: 8,
  },
  // The smallest scope of the drm_gpusvm / drm_pagemap family (suite multi-device): two devices in
  // different interconnect groups on one page, each faulting it towards its own VRAM (the default
  // preferred location) or to the other's or to system memory by madvise, prefetch and unbind.
  {
    name: 'multi-device-tiny',
    summary:
      'one CPU thread, two GPUs in different hives with one VRAM page each, one VA page: faults (atomics too) from both, madvise preferred locations, prefetch, unbind',
    config: twoGpus(1, 1),
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: [
      'mmap',
      'munmap',
      'cpu_read',
      'cpu_write',
      'gpu_read',
      'gpu_write',
      'gpu_atomic',
      'migrate',
      'svm_set_attr',
      'device_unbind',
    ],
    attrs: [[{ t: 'preferred', v: 0 }], [{ t: 'preferred', v: 2 }]],
    depth: 6,
  },
  // The xe family's range life on one device: a range bound, its pages changed under it
  // (MADV_DONTNEED, a CPU write) or its mapping replaced (munmap, mmap at the same address).
  {
    name: 'multi-device-remap',
    summary:
      'one CPU thread, one GPU with one VRAM page, one VA page: GPU binds, MADV_DONTNEED, munmap and mmap again',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'madvise_dontneed', 'cpu_write', 'gpu_read', 'gpu_write'],
    depth: 7,
  },
  // Two devices of one interconnect group (one pgmap owner): a fault on one populates the other's
  // VRAM when madvise prefers it, while that device is being unbound.
  {
    name: 'multi-device-peer',
    summary:
      'one CPU thread, two GPUs in one hive with one VRAM page each, one VA page: madvise to the peer, faults, unbind',
    config: twoGpus(1, 0),
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'gpu_read', 'svm_set_attr', 'device_unbind'],
    attrs: [[{ t: 'preferred', v: 1 }]],
    depth: 6,
  },
  // The drm_pagemap's lifetime (drivers/xe/drmPagemap.ts): two devices of one interconnect group,
  // madvise taking and dropping references on the peer's pagemap, a GPU fault opening the device's
  // VM, exit closing it, and reclaim's shrinker racing a lookup from a second thread.
  {
    name: 'multi-device-pagemap',
    summary:
      'two CPU threads, two GPUs in one hive with one VRAM page each, one VA page: madvise to the peer device and back, faults, reclaim (the pagemap shrinker), exit',
    config: twoGpus(1, 0),
    threads: 2,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'gpu_write', 'svm_set_attr', 'reclaim', 'exit'],
    attrs: [[{ t: 'preferred', v: 2 }], [{ t: 'preferred', v: 0 }]],
    depth: 5,
  },
  // The smallest scope of the fence policies: command submission, fence waits and reclaim; the mm
  // syscalls beyond mmap/munmap add nothing their rules are about.
  {
    name: 'fence-tiny',
    summary: 'one CPU thread, one GPU: mmap, munmap, accesses, submit, fence_wait, reclaim',
    config: ONE_GPU,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'cpu_write', 'gpu_write', 'submit', 'fence_wait', 'reclaim'],
    depth: 6,
  },
  // The targeted scopes below each restrict the alphabet to the operations one family of bugs is
  // made of, so that the search reaches the depth those bugs need within 200,000 distinct states
  // (findShortest's budget); what each leaves out is covered by tiny, svm-tiny and the others.
  //
  // Two CPU threads racing on one page: a CPU fault on a device-private page (do_swap_page, then
  // migrate_to_ram) against munmap, MADV_DONTNEED or a migration by the other thread. The page gets
  // into VRAM by a GPU write fault or an explicit migration; GPU reads (tiny covers them), mprotect
  // and fork/exit (the fork scope) are left out: with them the search passes 200,000 states before
  // depth 6.
  {
    name: 'two-threads',
    summary: 'two CPU threads, one GPU, one VA page: mmap, munmap, madvise, CPU accesses, GPU write, migrate',
    config: ONE_GPU,
    threads: 2,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'madvise_dontneed', 'cpu_read', 'cpu_write', 'gpu_write', 'migrate'],
    depth: 6,
  },
  // Two GPUs in different XGMI hives on one page: device-private pages of one GPU that the other
  // can neither use nor reach (pgmap owners, peer mappings). One VA page keeps the full CORE_OP_KINDS
  // alphabet to depth 5; two-gpus has two pages and one hive.
  {
    name: 'two-hives',
    summary: 'one CPU thread, two GPUs in different hives with one VRAM page each, one VA page',
    config: twoGpus(1, 1),
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE_OP_KINDS,
    depth: 5,
  },
  // The svm_range scopes below (names starting with 'svm-') are searched for svm_range drivers
  // only (scopesFor). Range surgery needs a range that a request can cut inside a VMA and reach
  // past it: three pages (a two-page VMA and a hole). The whole svm-tiny alphabet, to depth 3 only.
  {
    name: 'svm-three-pages',
    summary: 'svm-tiny with three VA pages (a VMA, and a hole for set_attr to reach into)',
    config: { vaPages: 3, sysPages: 5, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 1 },
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: [...CORE_OP_KINDS, 'svm_set_attr', 'svm_get_attr', 'gpuvm_map'],
    depth: 3,
  },
  // The default svm_range scope past svm-tiny: two VA pages and one VRAM page, so a range can be
  // cut (munmap or set_attr of one page splits a two-page range, and its VRAM node with it) and
  // two ranges compete for the VRAM page (a GPU fault or a prefetch evicts the other range's BO).
  // The alphabet keeps what those need (issue 23's reach): faults from both sides, munmap, and two
  // attribute changes, a prefetch to the GPU and GPU_RO over a range the CPU may write. 377,139
  // states to depth 6 (Linux 6.1 rules).
  {
    name: 'svm-two-pages',
    summary:
      'one CPU thread, one GPU with one VRAM page, two VA pages: mmap, munmap, CPU read, GPU read, set_attr prefetch to the GPU or GPU_RO (splits and eviction)',
    config: TWO_PAGES_ONE_VRAM,
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'cpu_read', 'gpu_read', 'svm_set_attr'],
    attrs: [[{ t: 'prefetch', v: 1 }], [{ t: 'set_flags', v: FLAG_GPU_RO }]],
    depth: 6,
  },
  // A two-page range migrated into a two-page BO while the CPU has populated some of its pages (or
  // a page is busy): partly filled BOs and mixed placement, where hmm_range_fault's fault-around
  // reaches the range's own VRAM pages. Only mmap, a CPU read and a GPU write: the munmap, attribute
  // and second-access variants multiply the states without adding a placement.
  {
    name: 'svm-partial',
    summary: 'one CPU thread, one GPU with two VRAM pages, two VA pages: mmap, CPU read, GPU write',
    config: SVM_TWO_PAGES,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'cpu_read', 'gpu_write'],
    depth: 5,
  },
  // VRAM pressure: two one-page ranges competing for one VRAM page, so a GPU fault evicts the other
  // range's BO, and a CPU fault holds a device page while its BO gives the VRAM back. The bugs need
  // a full round trip (to VRAM, CPU fault back, to VRAM again: 13 steps), so only mmap, a CPU read
  // and a GPU read, and no injected migrate_vma failures (eviction needs none; they triple the states).
  {
    name: 'svm-eviction',
    summary: 'one CPU thread, one GPU with one VRAM page, two VA pages: mmap, CPU read, GPU read',
    config: TWO_PAGES_ONE_VRAM,
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'cpu_read', 'gpu_read'],
    depth: 13,
  },
  // A page in VRAM shared with a fork child: the child's CPU fault on its parent's device page, with
  // the parent alive or gone (svm_migrate_to_ram finds the range through the BO's mm). One VA page,
  // one thread, and only the operations the story needs.
  {
    name: 'svm-fork',
    summary:
      'one CPU thread, one GPU with one VRAM page, one VA page, two processes: mmap, CPU read, GPU write, fork, exit',
    config: { vaPages: 1, sysPages: 4, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 2 },
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'cpu_read', 'gpu_write', 'fork', 'exit'],
    depth: 12,
  },
  // A retry fault that outlives munmap while the address is mapped again: one VA page, so the next
  // mmap lands where the old mapping was. The drain must wait for it (svm_range_drain_retry_fault).
  {
    name: 'svm-remap',
    summary: 'one CPU thread, one GPU with one VRAM page, one VA page: mmap, munmap, GPU write',
    config: { vaPages: 1, sysPages: 3, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 1 },
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'gpu_write'],
    depth: 12,
  },
  // One CPU under PREEMPT_NONE: deferred work queued on it waits for whatever keeps it.
  {
    name: 'svm-one-cpu',
    summary:
      'one CPU (PREEMPT_NONE), one GPU with one VRAM page, two VA pages: mmap, munmap, GPU read, set_attr',
    config: {
      vaPages: 2,
      sysPages: 4,
      gpus: [{ mem: 'private', vram: 1, hive: 0 }],
      maxProcs: 1,
      cpus: 1,
      preempt: 'none',
    },
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'munmap', 'gpu_read', 'svm_set_attr'],
    attrs: [[{ t: 'set_flags', v: 1 }]],
    depth: 8,
  },
  // Linux 7.0's do_swap_page() holds the device page's lock across migrate_to_ram and sleeps on a
  // locked one: a GPU of one hive faults a page in the other hive's VRAM while the CPU reads it.
  {
    name: 'svm-folio-lock',
    summary: 'two-hives on Linux 7.0 rules: mmap, CPU read, GPU read and write, no failure injection',
    config: { ...twoGpus(1, 1), kernel: '7.0' },
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'cpu_read', 'gpu_read', 'gpu_write'],
    depth: 9,
  },
  {
    name: 'two-gpus',
    summary: 'one CPU thread, two identical GPUs with one VRAM page each, two VA pages',
    config: twoGpus(2, 0),
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE_OP_KINDS,
    depth: 5,
  },
  // Device teardown: a GPU maps one page from VRAM and one from system memory, then its driver is
  // unbound (the device-teardown class).
  {
    name: 'unbind',
    summary:
      'one CPU thread, one GPU with one VRAM page, two VA pages: accesses, migration and driver unbind',
    config: TWO_PAGES_ONE_VRAM,
    threads: 1,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: ['mmap', 'cpu_write', 'gpu_write', 'migrate', 'device_unbind'],
    depth: 5,
  },
  {
    name: 'fork',
    summary: 'two CPU threads, one GPU, two VA pages, up to two processes',
    config: { vaPages: 2, sysPages: 5, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 2 },
    threads: 2,
    faultPages: 1,
    faultsPerStep: 1,
    kinds: CORE_OP_KINDS,
    depth: 4,
  },
  // Deferred work against exit: set_attr registers a range, munmap queues it for the deferred
  // worker, a retry fault still in the ring holds the worker in its drain, and the process exits
  // meanwhile. With the worker's
  // mm reference (svm_range_add_list_work's mmget) exit leaves the teardown to the worker's mmput;
  // without it the worker wakes to a freed mm. Last, so it changes no other entry's shortest search.
  {
    name: 'svm-exit',
    summary:
      'one CPU thread, one GPU with one VRAM page, one VA page: mmap, set_attr, munmap, GPU read, exit',
    config: { vaPages: 1, sysPages: 3, gpus: [{ mem: 'private', vram: 1, hive: 0 }], maxProcs: 1 },
    threads: 1,
    faultPages: 0,
    faultsPerStep: 1,
    kinds: ['mmap', 'svm_set_attr', 'munmap', 'gpu_read', 'exit'],
    depth: 8,
  },
];

export function scopeByName(name: string): Scope | undefined {
  return SCOPES.find((s) => s.name === name);
}

/**
 * The smallest scope whose alphabet a driver uses: fence policies (suite 'fences') need submission,
 * amdkfd as it ships (Driver.xnack) XNACK off and registered ranges, svm_range drivers (a set_attr
 * entry point) need the svm uAPI; the others need neither.
 */
export function smallestScope(driver: Driver): Scope {
  const name =
    driver.suite === 'fences'
      ? 'fence-tiny'
      : driver.suite === 'multi-device'
        ? 'multi-device-tiny'
        : driver.xnack
          ? 'kfd-tiny'
          : 'set_attr' in driver.procs
            ? 'svm-tiny'
            : 'tiny';
  const s = scopeByName(name);
  if (!s) throw new Error(`no scope ${name}`);
  return s;
}

/**
 * The scopes to search for a driver's shortest violation, its smallest first; the svm_range scopes
 * ('svm-' names) only for svm_range drivers.
 */
export function scopesFor(driver: Driver): Scope[] {
  const first = smallestScope(driver);
  const svm = 'set_attr' in driver.procs && driver.suite !== 'multi-device';
  return [
    first,
    ...SCOPES.filter((s) => s !== first && !s.name.endsWith('-tiny') && (svm || !s.name.startsWith('svm-'))),
  ];
}
