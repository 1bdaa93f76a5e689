// Whole-range VRAM BOs as amdkfd allocates them (kfd_svm.c at torvalds/linux 006ad514a50c,
// kfd_migrate.c at 057ad0ef4da6): svm_range_vram_node_new() sizes the BO to the whole svm_range
// (bp.size = prange->npages * PAGE_SIZE), not to the migration window; svm_range_split_nodes and
// svm_range_clone give the pieces a reference on the same svm_bo at their offset; a migration
// copies into the BO at (start - prange->start + prange->offset). The family's BO records (Bo,
// drivers/svm/svmBo.ts) hold these too: `start` is the first page of the range the BO was made for,
// and since a split keeps each piece's virtual addresses, the slot of page v is slots[v - start]
// (new->offset = old->offset + (new->start - old->start) in svm_range_split_nodes).
import { migrationById } from '../../model/kernel/migrate.js';
import { initDevicePage } from '../../model/mem.js';
import { spawn } from '../../model/engine.js';
import {
  bumpCounter,
  call,
  count,
  goto,
  reschedTo,
  yieldTo,
  type Env,
  type Handler,
  type Proc,
} from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import {
  allocBo,
  boById,
  boRef,
  dropNode,
  evictionFence,
  evictionVictim,
  freeSlots,
  holdNode,
  type Bo,
} from '../svm/svmBo.js';
import type { SvmMigrateVmaLocals } from '../svm/svmMigrate.js';
import { rangeById } from '../svm/svmState.js';

type L = SvmMigrateVmaLocals;

/** The VRAM page of a whole-range BO behind virtual page `vpn` (the ttm_res cursor), if any. */
export function kfdBoSlot(bo: Readonly<Bo>, vpn: number): number | undefined {
  return bo.slots[vpn - bo.start];
}

/** Whether every VRAM page of the BO holds a device page of its own (no part of it left unused). */
export function boFullyUsed(s: Env['s'], bo: Readonly<Bo>): boolean {
  return bo.slots.every((p) => {
    const pg = s.phys[p];
    return !!pg && !pg.free && pg.zdd === bo.id;
  });
}

/**
 * alloc - svm_range_vram_node_new()'s svm_range_validate_svm_bo() (kfd_svm.c at 006ad514a50c):
 * a range that holds its node (prange->ttm_res) keeps its BO ("We still have a reference, all is
 * well", even while that BO is being evicted); a node on another GPU is given back (svm_bo->node !=
 * node: list_del_init, svm_range_bo_unref) and a new BO is made on the destination.
 *
 * Context: the caller holds mmap_lock for read and the range's migrate_mutex (kfdMigrate).
 * Return: to 'copy' with l.bo set, or to 'newbo'.
 */
const alloc: Handler<L> = (env, l) => {
  const s = env.s;
  const range = rangeById(s, l.rid);
  // A page no range owns (migrate_to_ram of a lone page) never moves to VRAM: no BO.
  if (!range) return yieldTo('copy');
  const mine = range.node ? boById(s, range.node.bo) : undefined;
  if (mine && mine.gpu === l.gpu) {
    // After an eviction gave up, the range still holds ttm_res of a BO whose VRAM TTM discarded:
    // the kernel copies into it; the model's fill leaves those pages in system memory (bo.vram).
    if (!mine.vram) count(env, 'svm_range_validate_svm_bo: BO discarded by eviction reused');
    l.bo = mine.id;
    return yieldTo('copy');
  }
  if (mine) dropNode(s, range);
  return goto('newbo');
};

/**
 * The passes a TTM eviction waits for the victim's eviction fence before giving up: ttm_bo_evict()
 * of a DISCARDABLE BO calls ttm_bo_wait_ctx(), dma_resv_wait_timeout(..., 15 * HZ), -EBUSY when it
 * expires. The model has no clock: the waiter sleeps between polls of the fence (a scheduling point
 * on every preemption model, the scheduler runs other work first) and gives up after this many, as
 * the 15 s would when the worker cannot run.
 */
const TTM_WAIT_POLLS = 2;

/** The locals newbo adds to svm_migrate_vma's: the BO being evicted for this allocation, and polls made. */
type NewBoLocals = L & { victim?: number; polls?: number };

/**
 * newbo - svm_range_vram_node_new() (kfd_svm.c at 006ad514a50c): a BO of prange->npages pages for
 * the whole range (amdgpu_bo_create_user, bp.size = prange->npages * PAGE_SIZE), its first
 * reference the range's node (kref_init, list_add to svm_bo->range_list). A range larger than the
 * GPU's VRAM is refused first (svm_migrate_ram_to_vram's amdgpu_amdkfd_reserve_mem_limit, -ENOSPC;
 * the kernel returns the error to set_attr's prefetch, the family's migrations never fail: the
 * pages stay in system memory). When VRAM is short, TTM evicts one BO (the oldest resident,
 * evictionVictim): svm_range_schedule_evict_svm_bo queues the eviction worker and TTM waits for the
 * fence, at most TTM_WAIT_POLLS retry points (ttm_bo_wait_ctx's 15 s), then allocates again; if
 * VRAM is still short, or the wait timed out (-EBUSY), the pages stay in system memory.
 *
 * Context: as alloc; the wait is a retry loop holding the caller's locks (mmap_lock for read among
 * them: the eviction worker of a BO of this process needs it for read too, and a writer queued
 * between them makes the wait time out).
 * Return: to 'copy', or a retry point back to 'newbo'.
 */
const newbo: Handler<NewBoLocals> = (env, l) => {
  const s = env.s;
  const range = rangeById(s, l.rid);
  if (!range) return yieldTo('copy');
  const n = range.last - range.start + 1;
  if (n > (s.cfg.gpus[l.gpu]?.vram ?? 0)) {
    count(env, 'svm_migrate_ram_to_vram: range larger than VRAM (-ENOSPC)');
    return yieldTo('copy');
  }
  if (l.victim !== undefined && s.counters[evictionFence(l.victim)]) {
    if ((l.polls ?? 0) >= TTM_WAIT_POLLS) {
      count(env, 'ttm_bo_wait_ctx: eviction fence wait timed out (-EBUSY)');
      return yieldTo('copy');
    }
    l.polls = (l.polls ?? 0) + 1;
    return reschedTo('newbo');
  }
  const bo = allocBo(s, l.gpu, l.pid, range.start, n, freeSlots(s, l.gpu));
  if (bo) {
    // kref_init: the new BO's first reference is the range's VRAM node (prange->svm_bo).
    holdNode(s, range, bo.id);
    l.bo = bo.id;
    return yieldTo('copy');
  }
  const victim = l.evicted ? undefined : evictionVictim(s, l.gpu);
  if (!victim) {
    count(env, 'VRAM full, nothing to evict: stays in system memory');
    return yieldTo('copy');
  }
  l.evicted = true;
  l.victim = victim.id;
  l.polls = 0;
  victim.evicting = true;
  bumpCounter(s, evictionFence(victim.id), 1);
  spawn(s, 'kworker', -1, 'drv:evict_bo', { bo: victim.id, cause: l.rid });
  count(env, 'eviction');
  return reschedTo('newbo');
};

/**
 * fill - svm_migrate_copy_to_vram() (kfd_migrate.c at 057ad0ef4da6): each page collected for the
 * move gets the BO's VRAM page at its offset in the range (amdgpu_res_first(prange->ttm_res,
 * ttm_res_offset)), svm_migrate_get_vram_page() (zone_device_data = the svm_bo, one BO reference
 * per page) and its data. As the family, a VRAM page whose struct page is still referenced from an
 * earlier life is not reused, and a BO no longer live or resident gives no pages.
 *
 * Context: as alloc. Return: calls migrate_vma_pages, then 'fin'.
 */
const fill: Handler<L> = (env, l) => {
  const s = env.s;
  const m = migrationById(s, l.mig);
  const bo = boById(s, l.bo);
  if (bo && bo.state === 'live' && bo.vram) {
    m.src.forEach((src, i) => {
      const page = src.migrate ? kfdBoSlot(bo, l.start + i) : undefined;
      const pg = page === undefined ? undefined : s.phys[page];
      if (page === undefined || !pg || !pg.free) return;
      if (pg.zdd >= 0) count(env, 'VRAM page reused');
      initDevicePage(s, page, bo.id);
      boRef(s, bo.id);
      const d = s.phys[page];
      if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
      m.dst[i] = page;
    });
    if (m.dst.some((x) => x >= 0) && !boFullyUsed(s, bo)) count(env, 'partially filled BO');
  }
  return call('migrate_vma_pages', { mig: l.mig }, 'fin');
};

/**
 * kfdMigrateVma - the family's svm_migrate_vma with kfd's whole-range BOs: svm_range_vram_node_new
 * (alloc, newbo) and svm_migrate_copy_to_vram (fill); collecting, the copy to system memory,
 * finalizing and giving the node back when no page of the range is left in VRAM
 * (svm_migrate_vram_to_ram: vram_pages == 0, svm_range_vram_node_free) are the family's.
 */
export function kfdMigrateVma(base: Proc): Proc {
  const steps: Record<string, Handler<NewBoLocals>> = { alloc, newbo, fill };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
