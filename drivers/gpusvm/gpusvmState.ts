// drm_gpusvm's bookkeeping (drm_gpusvm.h) as plain data: notifiers covering large aligned blocks,
// ranges sized to the largest aligned chunk that fits the VMA, pages_valid guarded by the notifier
// lock, and the garbage collector's list of ranges an UNMAP left behind.
import type { State } from '../../model/types.js';
import { instanceName } from '../../model/instanceName.js';
import { driverState } from '../../model/touched.js';

export interface GpusvmRange {
  id: number;
  pid: number;
  start: number;
  /** Inclusive. */
  last: number;
  /** The gpusvm notifier (a model notifier id) whose block holds the range. */
  nid: number;
  /** drm_gpusvm_range_pages_valid: the pages from get_pages are still what the CPU maps. */
  pagesValid: boolean;
  /** GPUs with a binding for the range. */
  bound: number;
  unmapped: boolean;
  partialUnmap: boolean;
}

export interface GpusvmNotifier {
  nid: number;
  pid: number;
  start: number;
  end: number;
}

export interface GpusvmState {
  ranges: GpusvmRange[];
  notifiers: GpusvmNotifier[];
  next: number;
  /** Ranges queued for the garbage collector (ids). */
  gc: number[];
}

/** Notifier blocks (the kernel recommends 512M; scaled) and chunk sizes (2M, 64K, 4K; scaled), in pages. */
export const NOTIFIER_PAGES = 4;
export const CHUNK_PAGES = [4, 2, 1] as const;

/**
 * The sizes drm_gpusvm_init() takes, in model pages: the notifier block and the chunk sizes tried
 * largest first. The bug-hunting driver uses the scaled ones above; the cost policies (svmcheck
 * compare) give xe's real ones at 4 KiB a page.
 */
export interface GpusvmGeometry {
  readonly notifierPages: number;
  readonly chunks: readonly number[];
  /**
   * drm_gpusvm_ctx.check_pages_threshold, in pages: a chunk this small or smaller is taken only if
   * every CPU page of it is present (drm_gpusvm_check_pages), else the next smaller one is tried.
   * xe passes SZ_64K on a discrete GPU (xe_svm_handle_pagefault); absent: 0, no check.
   */
  readonly checkPagesThreshold?: number;
}

export const SCALED_GEOMETRY: GpusvmGeometry = { notifierPages: NOTIFIER_PAGES, chunks: CHUNK_PAGES };

export const gpusvm = (s: State): GpusvmState => driverState<GpusvmState>(s);
export const svmLock = instanceName('driver_svm_lock');
export const notifierLock = 'gpusvm_notifier_lock';

export function rangeAt(s: State, pid: number, vpn: number): GpusvmRange | undefined {
  return gpusvm(s).ranges.find((r) => r.pid === pid && vpn >= r.start && vpn <= r.last);
}
