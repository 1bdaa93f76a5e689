// amdkfd's svm_range bookkeeping as plain data (kfd_svm.h): ranges with attributes, per-page GPU
// mapping state, interval notifiers, the child list of a range split by munmap, and the deferred
// list that adds, updates or frees ranges later under mmap_lock (svm_range_deferred_list_work).
import type { RangeView } from '../../model/driver.js';
import { bumpCounter } from '../../model/proc.js';
import type { State, SvmAttrs } from '../../model/types.js';
import type { Bo } from './svmBo.js';
import { instanceName } from '../../model/instanceName.js';
import { filled } from '../../model/filled.js';
import { driverState, driverStateView } from '../../model/touched.js';
import { copyAttrs } from '../../model/uapi.js';

export type WorkOp = 'none' | 'unmap' | 'add' | 'update';

export interface SvmRange {
  id: number;
  pid: number;
  start: number;
  /** Inclusive, as in kfd. */
  last: number;
  a: SvmAttrs;
  /** Per page: GPUs holding a PTE this driver programmed that no invalidation has cleared since. */
  pm: number[];
  /** Interval notifier id, -1 while the range waits for the deferred worker to add it. */
  nid: number;
  /** work_item.op */
  op: WorkOp;
  /** On the deferred list. */
  deferred: boolean;
  /** Parent range id while on a parent's child list, else -1. */
  parent: number;
  /** In the svms interval tree. */
  inTree: boolean;
  /** kfd-legacy only: where the driver believes the whole range lives (0 system, g + 1 GPU g). */
  actual: number;
  /** The VRAM node the range holds a reference on (prange->svm_bo), or null. */
  node: { bo: number } | null;
}

/** An own migration in flight: lets the notifier skip invalidating what it will not move. */
export interface MigrationIntent {
  pid: number;
  start: number;
  end: number;
  owner: number;
  toDev: boolean;
}

export interface SvmState {
  ranges: SvmRange[];
  next: number;
  /** Range ids on the deferred list, in order. */
  deferred: number[];
  /** A deferred-list worker is scheduled. */
  worker: boolean;
  intents: MigrationIntent[];
  bos: Bo[];
  nextBo: number;
}

export const svmState = (s: State): SvmState => driverState<SvmState>(s);
/** For views only: reads without marking the driver's state written (model/touched.ts). */
export const svmStateView = (s: State): Readonly<SvmState> => driverStateView<SvmState>(s);

export const svmsLock = instanceName('svms_lock');
/** Whether a held lock's name is some process's svms->lock. */
export const isSvmsLock = (name: string): boolean => name.startsWith('svms_lock:');
export const rangeLock = instanceName('svm_range_lock');
/** One IH ring per (process, GPU): the instance number of its counters (configurations have at most 4 GPUs). */
const ring = (pid: number, gpu: number): number => pid * 8 + gpu;
const pendingFaultsOf = instanceName('svm_pending_faults');
/** Retry faults of process pid in GPU gpu's IH ring, raised and not yet handled. */
export const pendingFaults = (pid: number, gpu: number): string => pendingFaultsOf(ring(pid, gpu));
export const draining = instanceName('svm_drain_pagefaults');
/**
 * Retry faults of one GPU's ring still ahead of a drain's checkpoint:
 * amdgpu_ih_wait_on_checkpoint_process_ts() waits until the ring has processed the entries written
 * before the drain began, not until it is empty (a GPU that keeps retrying keeps it non-empty). A
 * GPU raises its faults one at a time and the ring is FIFO, so the first handlers to return after
 * the checkpoint are exactly those.
 */
const drainAheadOf = instanceName('svm_drain_ahead');
export const drainAhead = (pid: number, gpu: number): string => drainAheadOf(ring(pid, gpu));
export const deferredCount = instanceName('svm_deferred');

export function rangeById(s: State, id: number): SvmRange | undefined {
  return svmState(s).ranges.find((r) => r.id === id);
}

/** Ranges of a process in the interval tree, in address order. */
export function treeRanges(s: State, pid: number): SvmRange[] {
  return treeOf(svmState(s), pid);
}

/** treeRanges() for queries that change nothing: read-only, and not marked as a write. */
export function treeRangesView(s: State, pid: number): readonly Readonly<SvmRange>[] {
  return treeOf(svmStateView(s), pid);
}

function treeOf(st: Readonly<SvmState>, pid: number): SvmRange[] {
  return st.ranges.filter((r) => r.pid === pid && r.inTree).sort((a, b) => a.start - b.start);
}

export function children(s: State, id: number): SvmRange[] {
  return childrenOf(svmState(s), id);
}

/** children() for queries that change nothing: read-only, and not marked as a write. */
export function childrenView(s: State, id: number): readonly Readonly<SvmRange>[] {
  return childrenOf(svmStateView(s), id);
}

function childrenOf(st: Readonly<SvmState>, id: number): SvmRange[] {
  return st.ranges.filter((r) => r.parent === id);
}

/** svm_range_from_addr: the tree range or child of a tree range that holds the page. */
export function rangeFromAddr(s: State, pid: number, vpn: number): SvmRange | undefined {
  return findRange(svmState(s), pid, vpn);
}

/** rangeFromAddr() for a lookup that changes nothing: read-only, and not marked as a write. */
export function rangeFromAddrView(s: State, pid: number, vpn: number): Readonly<SvmRange> | undefined {
  return findRange(svmStateView(s), pid, vpn);
}

function findRange(st: Readonly<SvmState>, pid: number, vpn: number): SvmRange | undefined {
  for (const r of treeOf(st, pid)) {
    if (vpn >= r.start && vpn <= r.last) return r;
    const c = st.ranges.find((x) => x.parent === r.id && vpn >= x.start && vpn <= x.last);
    if (c) return c;
  }
  return undefined;
}

export function newRange(s: State, pid: number, start: number, last: number, a: SvmAttrs): SvmRange {
  const st = svmState(s);
  const r: SvmRange = {
    id: st.next++,
    pid,
    start,
    last,
    a: copyAttrs(a),
    pm: filled<number>(last - start + 1, 0),
    nid: -1,
    op: 'none',
    deferred: false,
    parent: -1,
    inTree: false,
    actual: 0,
    node: null,
  };
  st.ranges.push(r);
  return r;
}

export function dropRange(s: State, id: number): void {
  const st = svmState(s);
  const r = st.ranges.find((x) => x.id === id);
  if (r && st.deferred.includes(id)) bumpCounter(s, deferredCount(r.pid), -1);
  st.ranges = st.ranges.filter((x) => x.id !== id);
  st.deferred = st.deferred.filter((x) => x !== id);
}

/**
 * The driver's ranges as the invariants see them: every live piece, tree ranges and children. The
 * views share the ranges' attribute and mapping arrays (read-only by type): invariants read them
 * after every step, so copying them would dominate the check.
 */
const listedAfter = (q: SvmRange, r: SvmRange): boolean =>
  q.start > r.start || (q.start === r.start && q.id > r.id);

export function rangeViews(s: State, pid: number): RangeView[] {
  // Insertion in (start, id) order rather than filter/sort/map: the lists are short and this runs
  // after every step.
  const live: SvmRange[] = [];
  for (const r of svmStateView(s).ranges) {
    if (r.pid !== pid || !(r.inTree || r.parent >= 0)) continue;
    let j = live.length;
    live.push(r);
    for (; j > 0 && listedAfter(live[j - 1] as SvmRange, r); j--) live[j] = live[j - 1] as SvmRange;
    live[j] = r;
  }
  return live.map((r) => ({ start: r.start, last: r.last, attrs: r.a, mapped: r.pm, pending: r.op }));
}
