// TTM eviction, the shrinker and delayed destroy: a buffer object leaves VRAM once every fence in
// its dma_resv has signalled. Waiting on dma_fences here is allowed (seed 003 rule 4; dma-fence.c lets shrinkers
// and notifiers wait). No policy puts an hmm_fence into a dma_resv unless it calls it a dma_fence,
// so eviction never meets one. The shrinker only trylocks, as it runs inside fs_reclaim.
import { boResv, dmaResvLock, unsignaledFences } from '../../model/fence/dmaResv.js';
import type { Bo } from '../../model/fence/types.js';
import { fenceBlock, waitFence } from '../../model/fence/waitFence.js';
import { unlock } from '../../model/locks.js';
import { putPage } from '../../model/mem.js';
import { block, call, count, defineProc, emit, goto, ret, type Proc } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { submitsInFlight } from './fenceDriverState.js';
import { SYNC, mut } from '../../model/touched.js';

interface L {
  /** The GPU whose VRAM is needed, -1 for any (the shrinker). */
  gpu: number;
  /** A buffer not to evict (the one being validated). */
  except: number;
  by: 'eviction' | 'shrinker' | 'release';
  /** The buffer to move out; for eviction and the shrinker, -1 until one is chosen. */
  bo: number;
  i: number;
  waited: number;
}

/** Buffers eviction may pick: resident in the GPU's VRAM, other than the one being validated. */
function candidates(s: State, l: L): Bo[] {
  return s.sync.bos.filter((b) => b.page >= 0 && b.id !== l.except && (l.gpu < 0 || b.gpu === l.gpu));
}

export function fenceEvict(): Proc {
  return defineProc<L>('evict', {
    start(env, l) {
      const cands = candidates(env.s, l);
      l.i = 0;
      l.waited = 0;
      if (l.by === 'release') return goto('lock');
      if (l.by === 'shrinker') {
        // shrink_slab runs with fs_reclaim held: a reservation that is busy is skipped, not waited for.
        const got = cands.find((b) => dmaResvLock(env, boResv(b.id), { trylock: true }));
        if (!got) return ret('EBUSY');
        l.bo = got.id;
        return goto('fence');
      }
      const victim = cands[0];
      if (!victim) {
        count(env, 'VRAM full and nothing evictable');
        return ret('ENOMEM');
      }
      l.bo = victim.id;
      return goto('lock');
    },
    lock(env, l) {
      if (!dmaResvLock(env, boResv(l.bo))) return block({ k: 'lock', name: boResv(l.bo), mode: 'w' });
      return goto('fence');
    },
    fence(env, l) {
      const bo = env.s.sync.bos[l.bo];
      const f = bo?.fences[l.i];
      if (f === undefined) return goto('move');
      if (waitFence(env, f, l.by, `${l.by} of BO ${l.bo}`)) l.waited++;
      return goto('fenceWait');
    },
    fenceWait(env, l) {
      const b = fenceBlock(env.s, env.s.sync.bos[l.bo]?.fences[l.i] ?? -1);
      if (b) return b;
      l.i++;
      return goto('fence');
    },
    move(env, l) {
      const bo = env.s.sync.bos[l.bo];
      if (!bo) throw new Error(`evict: no BO ${l.bo}`);
      if (bo.page >= 0) {
        putPage(env.s, bo.page);
        mut(SYNC, bo).page = -1;
        emit(env, { e: 'bo-evict', bo: bo.id, gpu: bo.gpu, waited: l.waited, by: l.by });
        count(env, l.waited ? `${l.by} waited on a fence` : `${l.by} of an idle BO`);
      }
      mut(SYNC, bo).fences = unsignaledFences(env.s, bo);
      unlock(env, boResv(l.bo));
      return ret(0);
    },
  });
}

/** The driver's shrinker: release one buffer's backing store. */
export const fenceShrink: Proc = defineProc<Record<string, never>>('shrink', {
  start() {
    return call('drv:evict', { gpu: -1, except: -1, by: 'shrinker', bo: -1 }, 'done');
  },
  done() {
    return ret(0);
  },
});

/**
 * drm_release, then ttm_bo_delayed_delete: when the dying process's last submission has returned,
 * its buffers lose their handles, and each is freed once the fences in its reservation signal.
 */
export const fenceBoRelease: Proc = defineProc<{ pid: number; i: number }>('bo_release', {
  start(env, l) {
    const inFlight = submitsInFlight(l.pid);
    if ((env.s.counters[inFlight] ?? 0) > 0) return block({ k: 'counter', key: inFlight, until: 0 });
    for (const b of env.s.sync.bos) if (b.pid === l.pid) mut(SYNC, b).released = true;
    l.i = 0;
    return goto('next');
  },
  next(env, l) {
    const bo = env.s.sync.bos.filter((b) => b.pid === l.pid)[l.i];
    if (!bo) return ret(0);
    l.i++;
    return call('drv:evict', { gpu: bo.gpu, except: -1, by: 'release', bo: bo.id }, 'next');
  },
});
