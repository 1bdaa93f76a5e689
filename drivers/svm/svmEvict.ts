// svm_range_evict_svm_bo_worker and the BO's deferred release. Eviction migrates every page still
// using the BO back to system memory from the BO's own page list — whichever range or process maps
// it (seed 004: "that's basically the migrate.src for the eviction"; 6.1's migrate_device_range) —
// retrying pages that were busy, then signals the eviction fence.
import { migrateVmaFinalize, type SetupResult } from '../../model/kernel/migrate.js';
import { isLocked, pageLock } from '../../model/locks.js';
import { allocSysPage } from '../../model/mem.js';
import { call, count, defineProc, goto, ret, spinTo, yieldTo, type Proc } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { allocAndCopy } from '../common/allocAndCopy.js';
import { boById, dropNode, evictionFence, type Bo } from './svmBo.js';
import { hiveOwner } from './svmMigrate.js';
import { svmState } from './svmState.js';

/**
 * Pages of the BO that still hold data: mapped by some pte, or collected by a migration in flight
 * (locked, behind migration entries, mapcount 0), whose data stays needed until that migration
 * finalizes: if a page fails to migrate, remove_migration_ptes() maps it in VRAM again. A page
 * only held by a transient reference (do_swap_page's, after its data left) has none. With
 * `onlyRange`, only the pages that range maps.
 */
export function pagesWithData(
  s: State,
  bo: Bo,
  onlyRange?: { pid: number; start: number; last: number },
): number[] {
  return bo.slots.filter((p) => {
    const pg = s.phys[p];
    if (!pg || pg.free || pg.zdd !== bo.id) return false;
    if (pg.map === 0 && !isLocked(s, pageLock(p))) return false;
    if (!onlyRange) return true;
    const pt = s.procs[onlyRange.pid]?.pt ?? [];
    for (let v = onlyRange.start; v <= onlyRange.last; v++) if (pt[v]?.page === p) return true;
    return false;
  });
}

/** Locals of evict_bo, for variants that replace a step. */
export interface SvmEvictLocals {
  bo: number;
  /** The range whose allocation needed the VRAM. */
  cause: number;
  mig: number;
  tries: number;
}

/** svm_range_evict_svm_bo_worker retries a range this many times, then gives up ("Migration failed during eviction"). */
const EVICT_TRIES = 3;

/**
 * svm_range_evict_svm_bo_worker: migrate every page still using the BO to system memory
 * (migrate_vma_setup over the BO's own pages, retried while pages are busy), give the ranges'
 * VRAM nodes back, and signal the eviction fence.
 *
 * Context: a kworker; takes no svm lock (page locks inside migrate_vma_setup). The allocation
 * that queued it waits on the eviction fence.
 * Return: 0.
 */
export const evictBo: Proc = defineProc<SvmEvictLocals>('evict_bo', {
  start(env, l) {
    const s = env.s;
    const bo = boById(s, l.bo);
    if (!bo || bo.state !== 'live' || !bo.vram) return goto('done');
    const pages = pagesWithData(s, bo);
    if (pages.length === 0) return goto('done');
    return call(
      'migrate_vma_setup',
      {
        pages,
        pid: -1,
        start: -1,
        n: pages.length,
        owner: hiveOwner(s.cfg, bo.gpu),
        sel: { sys: false, priv: true, coh: true },
        faultPage: -1,
      },
      'setup',
    );
  },
  setup(env, l, r) {
    const res = r as SetupResult;
    l.mig = res.mig;
    if (res.cpages === 0) {
      migrateVmaFinalize(env, l.mig);
      return goto('retry');
    }
    return yieldTo('copy');
  },
  retry(env, l) {
    l.tries = (l.tries ?? 0) + 1;
    if (l.tries >= EVICT_TRIES) {
      count(env, 'eviction gave up on busy pages');
      return goto('done');
    }
    count(env, 'eviction retry (pages busy)');
    return spinTo('start');
  },
  copy(env, l) {
    const s = env.s;
    allocAndCopy(s, l.mig, false, () => allocSysPage(s));
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { done, cpages } = migrateVmaFinalize(env, l.mig);
    count(env, 'pages evicted', done);
    return done < cpages ? goto('retry') : goto('start');
  },
  done(env, l) {
    const s = env.s;
    const bo = boById(s, l.bo);
    if (bo) {
      // Ranges whose VRAM is gone give their node back (svm_migrate_vram_to_ram: !vram_pages).
      for (const r of svmState(s).ranges) if (r.node?.bo === bo.id) dropNode(s, r);
      // The fence signals. TTM takes the VRAM back only if no page still holds data there: an
      // eviction that gave up on busy pages leaves the BO resident (nothing may be lost).
      bo.vram = pagesWithData(s, bo).length > 0;
      if (bo.vram) count(env, 'eviction incomplete: BO stays resident');
      bo.evicting = false;
    }
    delete s.counters[evictionFence(l.bo)];
    return ret(0);
  },
});

/**
 * bo_release - svm_range_bo_release() run from a work item (svm_range_bo_unref_async): the BO's
 * last reference is gone, its VRAM goes back to the GPU, and a pending eviction fence signals.
 *
 * Context: a kworker; takes no lock (page_free, which drops the last reference, cannot sleep).
 * Return: 0.
 */
export const boRelease: Proc = defineProc<{ bo: number }>('bo_release', {
  start(env, l) {
    const s = env.s;
    const bo = boById(s, l.bo);
    if (bo && bo.state === 'releasing') {
      bo.state = 'freed';
      bo.vram = false;
      count(env, 'BO freed');
    }
    // If an eviction was pending, the fence signals now (svm_range_bo_release's dma_fence_signal).
    if (bo?.evicting) {
      bo.evicting = false;
      delete s.counters[evictionFence(l.bo)];
    }
    return ret(0);
  },
});
