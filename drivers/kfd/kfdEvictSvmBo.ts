// TTM eviction of an SVM BO as amdkfd does it: svm_range_evict_svm_bo_worker() (kfd_svm.c at
// torvalds/linux 006ad514a50c) walks svm_bo->range_list and moves each range to system memory
// through the owning mm's VMAs (svm_migrate_vram_to_ram, kfd_migrate.c at 057ad0ef4da6), not the
// BO's own page list as seed 004's design (drivers/svm/svmEvict.ts): a page of the BO that no range
// on the list maps through that mm (a fork child's copy, say) is not looked at.
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { vmaAt } from '../../model/mem.js';
import { mmgetNotZero, mmput } from '../../model/mmUsers.js';
import { call, count, defineProc, goto, ret, type Proc } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { boById, evictionFence, rangeHasVram } from '../svm/svmBo.js';
import { pagesWithData } from '../svm/svmEvict.js';
import { svmState } from '../svm/svmState.js';
import { migrateMutex } from './kfdMigrateToVram.js';

/**
 * Counted when the fence signals with pages still holding data in the BO TTM then discards: upstream
 * behaviour (vram-accounting's `stray` follows once such a page is mapped), the mark an open-finding
 * predicate can ask for. The data of those pages lives on in VRAM the allocator may hand out again.
 */
export const EVICTION_DISCARDED_WITH_DATA = 'svm_bo eviction: VRAM discarded under pages left in it';

/** Counted when a range still has VRAM pages after the worker's three passes (pr_info_once upstream). */
export const EVICTION_MIGRATION_FAILED = 'svm_bo eviction: Migration failed during eviction';

/** The worker's `int retries = 3` per range. */
const EVICT_TRIES = 3;

/** Locals of evict_bo (svm_range_evict_svm_bo_worker). */
export interface KfdEvictLocals {
  bo: number;
  /** The range whose allocation needed the VRAM (svm_range_vram_node_new's amdgpu_bo_create). */
  cause: number;
  /** The BO's process (svm_bo->eviction_fence->mm). */
  pid: number;
  /** Ranges taken off svm_bo->range_list (list_del_init): never walked again. */
  seen: number[];
  rid: number;
  retries: number;
  /** svm_migrate_vram_to_ram's result: 0, or the error that ends the walk. */
  r: number | string;
  /** The range had VRAM pages when this pass began (prange->actual_loc). */
  hadVram: boolean;
}

type L = KfdEvictLocals;

/** The first page of [start, last] that no VMA of pid covers (vma_lookup fails), or -1. */
function firstHole(s: State, pid: number, start: number, last: number): number {
  for (let v = start; v <= last; v++) if (!vmaAt(s, pid, v)) return v;
  return -1;
}

/**
 * evict_bo - svm_range_evict_svm_bo_worker() (kfd_svm.c at 006ad514a50c): queued by
 * svm_range_schedule_evict_svm_bo when TTM enables signalling on the BO's eviction fence.
 * svm_bo_ref_unless_zero (a BO already released: bo_release signalled the fence), then
 * mmget_not_zero(svm_bo->eviction_fence->mm): if the mm's users are gone it drops its reference
 * and returns without signalling (svm_range_bo_release signals when the last reference goes).
 * Under mmap_read_lock, `while (!list_empty(&svm_bo->range_list) && !r)`: the first range is taken
 * off the list, its migrate_mutex taken, and `do { r = svm_migrate_vram_to_ram(prange, mm,
 * prange->start, prange->last, ...) } while (!r && prange->actual_loc && --retries)` (three
 * passes); pages that would not move stay where they are ("Migration failed during eviction",
 * pr_info_once) and the range keeps its node; an error (-EFAULT when a page of the range has no
 * VMA) ends the walk with the rest of the list untouched. Then mmap_read_unlock, mmput, and
 * dma_fence_signal: TTM goes on with the eviction, and the BO is AMDGPU_GEM_CREATE_DISCARDABLE
 * (amdgpu_evict_flags: no placement, ttm_bo_pipeline_gutting), so its VRAM is given up whatever
 * pages still hold data there. The worker's own svm_bo reference (ref_unless_zero ... unref) is
 * not modelled: the BO's refcount contract counts pages and nodes only, and the worker checks the
 * BO is live instead.
 *
 * Context: a kworker; takes mmap_lock for read and each range's migrate_mutex (both may block); the
 * allocation that queued it waits on the eviction fence.
 * Return: 0.
 */
export const kfdEvictSvmBo: Proc = defineProc<L>('evict_bo', {
  start(env, l) {
    const s = env.s;
    const bo = boById(s, l.bo);
    l.seen = [];
    l.r = 0;
    // svm_bo_ref_unless_zero: freed while the eviction was pending (bo_release signalled).
    if (!bo || bo.state !== 'live') return ret(0);
    l.pid = bo.pid;
    if (!mmgetNotZero(s, l.pid)) {
      count(env, 'svm_bo eviction: mm gone, fence left to svm_range_bo_release');
      return ret(0);
    }
    return goto('lock');
  },
  lock(env, l) {
    return lockOrBlock(env, mmapLock(l.pid), 'r') ?? goto('next');
  },
  next(env, l) {
    const s = env.s;
    if (l.r !== 0) return goto('unlock');
    // list_first_entry(&svm_bo->range_list): the ranges holding this BO's node not yet walked.
    const r = svmState(s).ranges.find((x) => x.node?.bo === l.bo && !l.seen.includes(x.id));
    if (!r) return goto('unlock');
    l.seen.push(r.id);
    l.rid = r.id;
    l.retries = EVICT_TRIES;
    return goto('mutex');
  },
  mutex(env, l) {
    return lockOrBlock(env, migrateMutex(l.rid), 'w') ?? goto('migrate');
  },
  migrate(env, l) {
    const r = svmState(env.s).ranges.find((x) => x.id === l.rid);
    if (!r) return goto('range_done');
    // svm_migrate_vram_to_ram: "this prange has no any vram page": 0 at once.
    l.hadVram = rangeHasVram(env.s, r);
    if (!l.hadVram) return goto('range_done');
    return call(
      'drv:svm_migrate',
      { rid: r.id, pid: l.pid, start: r.start, last: r.last, to: 0 },
      'migrated',
    );
  },
  migrated(env, l, res) {
    const s = env.s;
    const r = svmState(s).ranges.find((x) => x.id === l.rid);
    l.r = res === 0 ? 0 : String(res);
    // vma_lookup() failed inside the range: the pages before the hole moved, then -EFAULT.
    if (l.r === 0 && r && firstHole(s, l.pid, r.start, r.last) >= 0) l.r = 'EFAULT';
    if (l.r === 0 && r && rangeHasVram(s, r) && --l.retries > 0) {
      count(env, 'svm_bo eviction: retry');
      return goto('migrate');
    }
    return goto('range_done');
  },
  range_done(env, l) {
    const s = env.s;
    const r = svmState(s).ranges.find((x) => x.id === l.rid);
    if (l.r !== 0) count(env, `svm_bo eviction: -${l.r}, walk ended`);
    else if (r && rangeHasVram(s, r)) count(env, EVICTION_MIGRATION_FAILED);
    unlock(env, migrateMutex(l.rid));
    return goto('next');
  },
  unlock(env, l) {
    unlock(env, mmapLock(l.pid));
    return mmput(env, l.pid, 'signal');
  },
  signal(env, l) {
    const s = env.s;
    const bo = boById(s, l.bo);
    delete s.counters[evictionFence(l.bo)];
    if (bo) {
      bo.evicting = false;
      if (bo.state === 'live' && bo.vram) {
        // TTM's eviction of a DISCARDABLE BO once the fence signalled: the VRAM is given up.
        bo.vram = false;
        count(env, 'svm_bo evicted');
        if (pagesWithData(s, bo).length > 0)
          count(env, 'svm_bo eviction: VRAM discarded under pages left in it');
      }
    }
    return ret(0);
  },
});
