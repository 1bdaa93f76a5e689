// The deliberately broken drivers the explorer finds: catalog entry → the scope it is found in and
// the length (moves) of the shortest path. test/exploreBroken.test.ts checks every one and replays
// it; the explorer's manifest (explore/manifest.json) records what each of those searches covered.
// The table is what `npm run bench` measured (the explorer's shrinking table: findShortest,
// 200,000 distinct states per scope); it lists every catalog entry.
export const FOUND: ReadonlyArray<[string, string, number]> = [
  ['no-read-retry', 'tiny', 4],
  ['ignore-unmap', 'tiny', 4],
  ['mirror-no-set-seq', 'tiny', 4],
  ['mirror-ignore-clear', 'tiny', 4],
  ['kfd-legacy', 'svm-tiny', 3],
  ['svm-window-unclipped', 'svm-tiny', 3],
  ['svm-deferred-gpu-unmap', 'svm-tiny', 4],
  ['svm-free-keeps-notifier', 'svm-tiny', 4],
  ['svm-no-retry-check', 'svm-tiny', 5],
  ['bo-leak-node', 'svm-tiny', 3],
  // The deepest: all of svm-tiny to depth 5 first (about 160,000 distinct states, seconds).
  ['svm-writable-by-vma', 'svm-tiny', 6],
  ['mirror-free-on-unmap', 'tiny', 4],
  ['gpusvm-map-past-range', 'two-gpus', 3],
  // The targeted scopes (explore/scopes.ts): each restricts the alphabet to what its bugs are made of.
  ['kernel-swap-without-ref', 'two-threads', 6],
  ['foreign-device-page', 'two-hives', 5],
  ['svm-half-split', 'svm-three-pages', 3],
  ['svm-no-recursion-guard', 'svm-partial', 5],
  ['bo-partial-uncounted', 'svm-partial', 5],
  // The two-page default svm scope: GPU_RO ignored by a GPU mapping, a split range's BO, a GPU fault
  // evicting the other range's, and a retry fault that outlives munmap and the mapping made again
  // (svm-tiny meets the same stale fault at 6 too, seen there as a fatal fault,
  // permitted-access-served, rather than as the range class the entry documents).
  ['svm-gpu-ro-ignored', 'svm-two-pages', 4],
  ['bo-double-unref-split', 'svm-two-pages', 5],
  ['bo-evict-one-range', 'svm-two-pages', 5],
  ['svm-stale-fault', 'svm-two-pages', 6],
  // The longest path: a round trip to VRAM, back through a CPU fault that migrates its page alone
  // while the GPU's refault holds svms->lock, and to VRAM again (about 65,000 states).
  ['bo-reuse-referenced-page', 'svm-eviction', 11],
  // A livelock seen from one state: the only runnable activity steps back to where it was.
  ['mirror-stale-seq-retry', 'tiny', 5],
  ['svm-cow-child-sigbus', 'svm-fork', 9],
  // About 143,000 distinct states.
  ['kfd-cow-orphan-sigbus', 'svm-fork', 10],
  ['svm-drain-misses-soft-ring', 'svm-remap', 10],
  ['mirror-unbind-keeps-gpu-ptes', 'unbind', 5],
  // A lockup: under PREEMPT_NONE on one CPU set_attr polls while the deferred work waits for the CPU.
  ['svm-flush-busy-wait', 'svm-one-cpu', 5],
  // The xe family (drm_gpusvm + drm_pagemap): its smallest scope, and two targeted ones.
  ['xe-zdd-page-without-ref', 'multi-device-tiny', 5],
  ['xe-bind-without-pages-valid', 'multi-device-tiny', 5],
  ['xe-atomic-without-devmem-only', 'multi-device-tiny', 5],
  ['xe-invalidate-keeps-pages', 'multi-device-remap', 5],
  // About 59,000 distinct states: a range bound, unmapped, mapped again and faulted on.
  ['xe-unmap-not-collected', 'multi-device-remap', 8],
  // 6 since madvise to a device being unbound is refused (xe_drm_pagemap_from_fd: -ENODEV): the
  // preferred location is set before the unbind starts.
  ['xe-populate-ignores-unbind', 'multi-device-peer', 6],
  ['xe-get-pages-no-retry-check', 'multi-device-remap', 5],
  ['xe-no-set-seq', 'multi-device-remap', 5],
  ['xe-fault-skips-garbage-collector', 'multi-device-remap', 8],
  // The drm_pagemap refcount and its cache (drivers/xe/drmPagemap.ts).
  ['xe-zdd-without-pagemap-ref', 'multi-device-tiny', 2],
  ['xe-madvise-keeps-pagemap-ref', 'multi-device-pagemap', 3],
  ['xe-file-release-keeps-pagemaps', 'multi-device-pagemap', 3],
  // Linux 7.0's page lock in do_swap_page against svms->lock (the scope follows 7.0's rules).
  ['kfd-svms-lock-under-folio-lock', 'svm-folio-lock', 9],
  // amdkfd as it ships with XNACK off: its smallest scope (a registered one-page range).
  ['kfd-set-attr-no-map', 'kfd-tiny', 2],
  ['kfd-evict-no-quiesce', 'kfd-tiny', 4],
  // Upstream's svms->faulting_task with GPUs of two hives: a page the move to RAM left, faulted for ever.
  ['kfd-faulting-task-livelock', 'kfd-hives-tiny', 7],
  ['fence-all-dma', 'fence-tiny', 1],
  ['fence-signal-alloc', 'fence-tiny', 2],
  ['fence-resv-inversion', 'fence-tiny', 2],
  ['fence-notifier-waits-hmm', 'fence-tiny', 3],
  ['fence-late-hmm-wait', 'fence-tiny', 3],
  // Deferred work that outlives its process's mm (about 46,000 distinct states).
  ['svm-deferred-unpinned-mm', 'svm-exit', 8],
];

/** The state budget each of those searches gets (findShortest's). */
export const FOUND_MAX_STATES = 200_000;
