// Lockdep priming at boot: drivers/dma-buf/dma-resv.c dma_resv_lockdep() takes mmap_lock, a
// dma_resv lock, fs_reclaim and the mmu notifier map in that order and then might-waits on a
// dma_fence, so "testing with a single device is enough to validate a driver" (dma-fence.c,
// "fence signalling annotation"); __mmu_notifier_register() primes fs_reclaim -> notifier map.
import { edgeKey, type EdgeKind, type LockEdge } from './lockEdge.js';
import { DMA_FENCE_MAP, FS_RECLAIM, MMU_NOTIFIER_MAP } from './pseudoLocks.js';

const CHAIN: ReadonlyArray<[string, string, EdgeKind]> = [
  ['mmap_lock', 'dma_resv', 'lock'],
  ['dma_resv', FS_RECLAIM, 'lock'],
  [FS_RECLAIM, MMU_NOTIFIER_MAP, 'lock'],
  [MMU_NOTIFIER_MAP, DMA_FENCE_MAP, 'wait'],
];

export function primeLockdep(edges: Map<string, LockEdge>): void {
  for (const [from, to, how] of CHAIN)
    edges.set(edgeKey(from, to), {
      from,
      to,
      fromName: from,
      toName: to,
      how,
      primed: true,
      step: -1,
      agent: 'boot',
      op: -1,
      stack: ['dma_resv_lockdep'],
    });
}
