// König's critical sections (seed 003): "MMU notifiers, page faults, GPU schedulers and
// dma_reservation object locks", plus shrinkers (reclaim) — where waiting on a dma_fence is
// allowed (rule 4) and waiting on an hmm_fence is not (rule 5). Read off what an activity holds. An
// hmm_fence job waiting for its dependencies is the user queue's own wait (rule 7), not the kernel
// scheduler, so its hmm_fence_map is not one of them. report/findingWords/fence/sectionWords.ts
// names them.
import { lockClass } from '../../model/lockdep/lockClass.js';
import {
  DMA_FENCE_MAP,
  FS_RECLAIM,
  GPU_PAGE_FAULT,
  MMU_NOTIFIER_MAP,
} from '../../model/lockdep/pseudoLocks.js';

export type CriticalSection =
  'mmu-notifier' | 'gpu-page-fault' | 'dma-fence-signalling' | 'reclaim' | 'dma-resv';

const SECTIONS: Readonly<Record<string, CriticalSection>> = {
  [MMU_NOTIFIER_MAP]: 'mmu-notifier',
  [GPU_PAGE_FAULT]: 'gpu-page-fault',
  [DMA_FENCE_MAP]: 'dma-fence-signalling',
  [FS_RECLAIM]: 'reclaim',
  dma_resv: 'dma-resv',
};

/** The critical sections among the held locks and sections, each once, in the order first held. */
export function criticalSections(held: readonly string[]): CriticalSection[] {
  const out: CriticalSection[] = [];
  for (const h of held) {
    const what = SECTIONS[h] ?? SECTIONS[lockClass(h)];
    if (what && !out.includes(what)) out.push(what);
  }
  return out;
}
