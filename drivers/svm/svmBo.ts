// Free-floating VRAM buffer objects (seed 004_78f2c797c44aa03c.txt; kfd struct svm_range_bo):
// allocated when pages migrate to VRAM, sized to the migration window, owned by no range.
// References: one per device page initialised from the BO (svm_migrate_get_vram_page, dropped by
// page_free when the page's own refcount reaches zero) and one per range holding the VRAM node
// (svm_range_vram_node_new / _free, shared by split and clone). The last reference schedules the
// release as deferred work (svm_range_bo_unref_async): page_free cannot sleep.
import { spawn } from '../../model/engine.js';
import type { BoView } from '../../model/driver.js';
import type { Env } from '../../model/proc.js';
import { KernelBug } from '../../model/kernelBug.js';
import type { State } from '../../model/types.js';
import { type SvmRange, svmState, svmStateView } from './svmState.js';
import { instanceName } from '../../model/instanceName.js';

export interface Bo {
  id: number;
  gpu: number;
  pid: number;
  /** First page of the window the BO was allocated for (a later migration of that window may reuse it). */
  start: number;
  slots: number[];
  ref: number;
  state: 'live' | 'releasing' | 'freed';
  evicting: boolean;
  /** Still holds its VRAM reservation: eviction gives the VRAM back when its fence signals (TTM). */
  vram: boolean;
}

/** A range's VRAM node (prange->svm_bo + ttm_res): which BO, at which page offset of the range. */
export interface Node {
  bo: number;
}

/** The eviction fence: waiters block until this counter is back to zero. */
export const evictionFence = instanceName('svm_bo_eviction_fence');

export const boById = (s: State, id: number): Bo | undefined => svmState(s).bos.find((b) => b.id === id);

export function boRef(s: State, id: number): void {
  const b = boById(s, id);
  if (!b || b.state !== 'live')
    throw new KernelBug('bo-refcount', 'refcount', {
      code: 'bo-get-not-live',
      at: { bo: id },
      data: { bo: id, state: b?.state ?? 'gone' },
    });
  b.ref++;
}

/** kref_put with an asynchronous release: the BO stays until the release work runs. */
export function boUnref(s: State, id: number): void {
  const b = boById(s, id);
  if (!b || b.state !== 'live')
    throw new KernelBug('bo-refcount', 'refcount', {
      code: 'bo-put-not-live',
      at: { bo: id },
      data: { bo: id, state: b?.state ?? 'gone' },
    });
  b.ref--;
  if (b.ref > 0) return;
  b.state = 'releasing';
  spawn(s, 'kworker', -1, 'drv:bo_release', { bo: id });
}

/**
 * VRAM pages of the GPU that no BO reserves and whose struct page is really free: a page still
 * referenced from an earlier life (e.g. by do_swap_page after its data left) must wait.
 */
export function freeSlots(s: State, gpu: number): number[] {
  const base = s.vramBase[gpu] ?? 0;
  const n = s.cfg.gpus[gpu]?.vram ?? 0;
  const taken = new Set(
    svmState(s)
      .bos.filter((b) => b.gpu === gpu && b.vram)
      .flatMap((b) => b.slots),
  );
  const out: number[] = [];
  for (let i = base; i < base + n; i++) if (!taken.has(i) && s.phys[i]?.free) out.push(i);
  return out;
}

/**
 * amdgpu_bo_create: a BO of n pages on the GPU, taken from `slots` (the VRAM the allocator may
 * hand out: freeSlots), or null when VRAM is full (the caller evicts).
 */
export function allocBo(
  s: State,
  gpu: number,
  pid: number,
  start: number,
  n: number,
  slots: readonly number[],
): Bo | null {
  if (slots.length < n) return null;
  const st = svmState(s);
  const bo: Bo = {
    id: st.nextBo++,
    gpu,
    pid,
    start,
    slots: slots.slice(0, n),
    ref: 0,
    state: 'live',
    evicting: false,
    vram: true,
  };
  st.bos.push(bo);
  return bo;
}

/** The BO TTM would evict to make room on the GPU: the oldest live one not already evicting. */
export function evictionVictim(s: State, gpu: number): Bo | undefined {
  return svmState(s).bos.find((b) => b.gpu === gpu && b.state === 'live' && b.vram && !b.evicting);
}

/** svm_range_vram_node_new's reference: the range now holds this BO's node. */
export function holdNode(s: State, r: SvmRange, bo: number): void {
  if (r.node?.bo === bo) return;
  dropNode(s, r);
  boRef(s, bo);
  r.node = { bo };
}

/** svm_range_vram_node_free. */
export function dropNode(s: State, r: SvmRange): void {
  const n = r.node;
  if (!n) return;
  r.node = null;
  boUnref(s, n.bo);
}

/** Does any page of the range still live in VRAM of its node's BO? (prange->vram_pages) */
export function rangeHasVram(s: State, r: SvmRange): boolean {
  const bo = r.node?.bo;
  if (bo === undefined) return false;
  for (let v = r.start; v <= r.last; v++) {
    const pte = s.procs[r.pid]?.pt[v] ?? null;
    if (pte && pte.t !== 'm' && s.phys[pte.page]?.zdd === bo) return true;
  }
  return false;
}

/** svm_migrate_page_free: the page's BO loses the page's reference. Runs in atomic context. */
export function svmPageFree(env: Env, page: number): void {
  const bo = env.s.phys[page]?.zdd ?? -1;
  if (bo >= 0) boUnref(env.s, bo);
}

export function boViews(s: State): BoView[] {
  const st = svmStateView(s);
  // One pass over the ranges, and the BOs' own slot arrays (read-only views): invariants ask for
  // these after every step.
  const holders = new Map<number, number>();
  for (const r of st.ranges) if (r.node) holders.set(r.node.bo, (holders.get(r.node.bo) ?? 0) + 1);
  return st.bos.map((b) => ({
    id: b.id,
    gpu: b.gpu,
    slots: b.slots,
    ref: b.ref,
    state: b.state,
    evicting: b.evicting,
    vram: b.vram,
    nodeHolders: holders.get(b.id) ?? 0,
  }));
}
