// König's critical sections (seed 003): "MMU notifiers, page faults, GPU schedulers and
// dma_reservation object locks", plus shrinkers (reclaim) — where waiting on a dma_fence is
// allowed (rule 4) and waiting on an hmm_fence is not (rule 5). Read off what an activity holds. An
// hmm_fence job waiting for its dependencies is the user queue's own wait (rule 7), not the kernel
// scheduler, so its hmm_fence_map is not one of them.
import { lockClass } from '../../model/lockdep/lockClass.js';
import {
  DMA_FENCE_MAP,
  FS_RECLAIM,
  GPU_PAGE_FAULT,
  MMU_NOTIFIER_MAP,
} from '../../model/lockdep/pseudoLocks.js';

const SECTIONS: Readonly<Record<string, string>> = {
  [MMU_NOTIFIER_MAP]: 'an MMU notifier callback',
  [GPU_PAGE_FAULT]: 'the GPU page-fault handler',
  [DMA_FENCE_MAP]: 'the GPU scheduler (a dma_fence signalling path)',
  [FS_RECLAIM]: 'reclaim (a shrinker)',
  dma_resv: 'a dma_resv lock',
};

/** The critical sections among the held locks and sections, in kernel words. */
export function criticalSections(held: readonly string[]): string[] {
  const out: string[] = [];
  for (const h of held) {
    const what = SECTIONS[h] ?? SECTIONS[lockClass(h)];
    if (what && !out.includes(what)) out.push(what);
  }
  return out;
}
