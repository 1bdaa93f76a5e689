// might_alloc(): a GFP_KERNEL allocation may enter direct reclaim, which runs shrinkers and MMU
// notifiers that may wait on dma_fences, so lockdep takes fs_reclaim for a moment; GFP_NOWAIT
// and GFP_ATOMIC never reclaim. The observation lets the fence rules see where allocations happen.
import { mightLock } from '../lockdep/recordDependency.js';
import { FS_RECLAIM } from '../lockdep/pseudoLocks.js';
import { emit, type Env } from '../proc.js';

export type Gfp = 'GFP_KERNEL' | 'GFP_NOWAIT';

export function mightAlloc(env: Env, what: string, gfp: Gfp): void {
  if (gfp === 'GFP_KERNEL') mightLock(env, FS_RECLAIM);
  emit(env, { e: 'alloc', what, gfp, held: [...env.act.held] });
}
