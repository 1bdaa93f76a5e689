// dma_resv objects: the ww_mutex every buffer object carries and the fences it collects. Taking
// one goes through dmaResvLock so that the fence rules see where it happens (a dma_fence
// signalling path must take none: drivers/dma-buf/dma-fence.c, "fence signalling annotation").
import { tryLock } from '../locks.js';
import { emit, type Env } from '../proc.js';
import type { State } from '../types.js';
import type { Bo } from './types.js';
import { SYNC, mut } from '../touched.js';

export const boResv = (bo: number): string => `dma_resv:bo${bo}`;

/** The reservation of a GPU VM's page-directory BO (what amdgpu_vm_lock_pd / svm_range_reserve_bos take). */
export const pdResv = (gpu: number, pid: number): string => `dma_resv:pd.gpu${gpu}.pid${pid}`;

/** dma_resv_lock(): false when the caller must block on it. */
export function dmaResvLock(env: Env, name: string, opts?: { trylock: boolean }): boolean {
  emit(env, { e: 'resv-lock', name, held: [...env.act.held], trylock: opts?.trylock === true });
  return tryLock(env, name, 'w', opts);
}

/** The process's buffer `idx` on a GPU, created (not resident, no fences) on first use. */
export function boFor(s: State, pid: number, gpu: number, idx: number): Bo {
  let bo = s.sync.bos.find((b) => b.pid === pid && b.gpu === gpu && b.idx === idx);
  if (!bo) {
    bo = { id: s.sync.bos.length, pid, gpu, idx, released: false, page: -1, fences: [] };
    mut(SYNC, s.sync.bos).push(bo);
  }
  return bo;
}

/** Fences in the reservation that have not signalled: what eviction must wait for. */
export function unsignaledFences(s: State, bo: Bo): number[] {
  return bo.fences.filter((f) => s.sync.fences[f]?.signaled === false);
}
