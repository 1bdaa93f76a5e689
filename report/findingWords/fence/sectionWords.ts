// König's critical sections (properties/fence/criticalSections.ts) in kernel words.
import { match } from 'ts-pattern';
import type { CriticalSection } from '../../../properties/fence/criticalSections.js';

export const sectionWords = (c: CriticalSection): string =>
  match(c)
    .with('mmu-notifier', () => 'an MMU notifier callback')
    .with('gpu-page-fault', () => 'the GPU page-fault handler')
    .with('dma-fence-signalling', () => 'the GPU scheduler (a dma_fence signalling path)')
    .with('reclaim', () => 'reclaim (a shrinker)')
    .with('dma-resv', () => 'a dma_resv lock')
    .exhaustive();
