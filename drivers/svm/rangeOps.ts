// Range surgery, following kfd_svm.c: svm_range_split (head/tail), svm_range_clone, the
// transactional svm_range_add, svm_range_unmap_split and svm_range_create_unregistered_range.
import { vmaAt } from '../../model/mem.js';
import { notifierInsert, notifierRemove } from '../../model/notifier.js';
import type { State } from '../../model/types.js';
import { applyAttrs, defaultAttrs, uapiRegisterDefault, type Attr } from '../../model/uapi.js';
import { boRef, dropNode } from './svmBo.js';
import { childrenView, newRange, svmState, treeRanges, treeRangesView, type SvmRange } from './svmState.js';

/**
 * svm_range_split: r keeps [start, last]; the rest becomes a new range with the same attributes,
 * sharing r's VRAM node with a reference of its own (svm_range_split_nodes).
 */
export function splitRange(s: State, r: SvmRange, start: number, last: number): SvmRange {
  const [ns, nl] = start === r.start ? [last + 1, r.last] : [r.start, start - 1];
  const n = newRange(s, r.pid, ns, nl, r.a);
  n.pm = r.pm.slice(ns - r.start, nl - r.start + 1);
  n.actual = r.actual;
  if (r.node) {
    boRef(s, r.node.bo);
    n.node = { bo: r.node.bo };
  }
  r.pm = r.pm.slice(start - r.start, last - r.start + 1);
  r.start = start;
  r.last = last;
  return n;
}

export function addToTree(s: State, r: SvmRange): void {
  r.inTree = true;
  r.parent = -1;
  r.nid = notifierInsert(s, r.pid, r.start, r.last + 1, r.id);
}

export function removeFromTree(s: State, r: SvmRange): void {
  r.inTree = false;
  if (r.nid >= 0) notifierRemove(s, r.nid);
  r.nid = -1;
}

/** The largest range svm_range_split_new creates: max_svm_range_pages, scaled to this model. */
export const MAX_RANGE_PAGES = 4;

export interface AddResult {
  /** Ranges whose attributes changed and that need migration/mapping (update_list). */
  updated: SvmRange[];
}

/**
 * svm_range_add + the transaction in svm_range_set_attr: overlapping ranges are cloned and split at
 * the request's boundaries, gaps are filled with new ranges (at most `max` pages, aligned:
 * max_svm_range_pages), the clones and new ranges replace the originals in the tree, and the
 * attributes are applied.
 */
export function addRanges(
  s: State,
  pid: number,
  start: number,
  end: number,
  attrs: readonly Attr[],
  max: number = MAX_RANGE_PAGES,
): AddResult {
  const last = end - 1;
  const updated: SvmRange[] = [];
  const insert: SvmRange[] = [];
  const remove: SvmRange[] = [];
  let cur = start;
  const gap = (a: number, b: number): void => {
    for (let x = a; x <= b;) {
      const l = Math.min(b, Math.floor((x + max) / max) * max - 1);
      const r = newRange(s, pid, x, l, defaultAttrs(s));
      insert.push(r);
      updated.push(r);
      x = l + 1;
    }
  };
  for (const old of treeRanges(s, pid).filter((r) => r.start <= last && r.last >= start)) {
    if (old.start > cur) gap(cur, old.start - 1);
    const clone = newRange(s, pid, old.start, old.last, old.a);
    clone.pm = [...old.pm];
    clone.actual = old.actual;
    // svm_range_clone shares the VRAM node with a reference of its own.
    if (old.node) {
      boRef(s, old.node.bo);
      clone.node = { bo: old.node.bo };
    }
    remove.push(old);
    insert.push(clone);
    updated.push(clone);
    if (clone.start < start) insert.push(splitRange(s, clone, start, clone.last));
    if (clone.last > last) insert.push(splitRange(s, clone, clone.start, last));
    cur = Math.min(old.last, last) + 1;
  }
  if (cur <= last) gap(cur, last);
  for (const r of remove) {
    removeFromTree(s, r);
    dropNode(s, r);
    svmState(s).ranges = svmState(s).ranges.filter((x) => x !== r);
  }
  for (const r of insert) addToTree(s, r);
  for (const r of updated) r.a = applyAttrs(r.a, attrs);
  return { updated };
}

/**
 * svm_range_unmap_split: r keeps a mapped part (when it has one); the unmapped part becomes a child
 * of the tree range to free, and a mapped tail split off the middle becomes a child to add. `split`
 * is svm_range_split (a variant may give its own).
 */
export function unmapSplit(
  s: State,
  parent: SvmRange,
  r: SvmRange,
  start: number,
  last: number,
  split: typeof splitRange = splitRange,
): void {
  if (r.op === 'unmap' || start > r.last || last < r.start) return;
  let head = r;
  let tail = r;
  if (start > r.start) tail = split(s, r, r.start, start - 1);
  if (last < tail.last) head = split(s, tail, last + 1, tail.last);
  const child = (c: SvmRange, op: 'unmap' | 'add'): void => {
    c.parent = parent.id;
    c.op = op;
  };
  if (head !== r && tail !== r) {
    child(head, 'unmap');
    child(tail, 'add');
  } else if (tail !== r) child(tail, 'unmap');
  else if (head !== r) child(head, 'unmap');
  else if (parent !== r) r.op = 'unmap';
}

/** svm_range_get_range_boundaries + create: the VMA clipped to the aligned fault window and neighbours. */
export function createUnregistered(s: State, pid: number, vpn: number, window: number): SvmRange | null {
  const v = vmaAt(s, pid, vpn);
  if (!v) return null;
  const size = 1 << window;
  let start = Math.max(v.start, Math.floor(vpn / size) * size);
  let end = Math.min(v.end, Math.floor((vpn + size) / size) * size);
  // Read-only until newRange(): a fault that creates nothing must not count as a write.
  for (const r of treeRangesView(s, pid)) {
    const kids = childrenView(s, r.id);
    const lo = Math.min(r.start, ...kids.map((c) => c.start));
    const hi = Math.max(r.last, ...kids.map((c) => c.last));
    if (hi < vpn) start = Math.max(start, hi + 1);
    else if (lo > vpn) end = Math.min(end, lo);
    else return null;
  }
  for (const [a, b] of s.uapi.gpuvm[pid] ?? []) {
    if ((a ?? 0) < end && start < (b ?? 0)) {
      if (vpn >= (a ?? 0) && vpn < (b ?? 0)) return null;
      // Overlapping a userptr mapping: a one-page range.
      start = vpn;
      end = vpn + 1;
    }
  }
  const r = newRange(s, pid, start, end - 1, defaultAttrs(s));
  addToTree(s, r);
  uapiRegisterDefault(s, pid, start, end);
  return r;
}
