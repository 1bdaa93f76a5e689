// Pseudo-locks: lockdep maps the kernel takes to teach lockdep about dependencies that are not
// mutexes (drivers/dma-buf/dma-fence.c "fence signalling annotation", mm/mmu_notifier.c,
// mm/page_alloc.c fs_reclaim_acquire), plus the sections the fence rules of seed 003 name.

/** dma_fence_begin_signalling() .. dma_fence_end_signalling(); dma_fence_wait() takes it briefly. */
export const DMA_FENCE_MAP = 'dma_fence_map';
/** The same annotation for hmm_fences (seed 003: fences of work that may stall on page faults). */
export const HMM_FENCE_MAP = 'hmm_fence_map';
/** fs_reclaim_acquire(): held by reclaim, taken for a moment by every allocation that may enter it. */
export const FS_RECLAIM = 'fs_reclaim';
/** __mmu_notifier_invalidate_range_start_map: held while invalidate callbacks run. */
export const MMU_NOTIFIER_MAP = 'mmu_notifier_invalidate_range_start';
/** The GPU page-fault handler (a critical section in König's rules, seed 003). */
export const GPU_PAGE_FAULT = 'gpu_page_fault';

/** The lockdep map a wait on, or the signalling of, a fence of this kind takes. */
export const fenceMap = (kind: 'dma' | 'hmm'): string => (kind === 'dma' ? DMA_FENCE_MAP : HMM_FENCE_MAP);
