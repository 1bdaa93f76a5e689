// kfd's open findings: upstream kfd_svm.c behaviour the driver reproduces, each archived open
// (README's table of kfd's upstream cases) and recognised in a failed run by the invariant it
// breaks, the finding's code, the state the run failed in and the counters of
// drivers/kfd/kfdUpstreamMarks.ts. A violation none of them explains fails a soak.
import type { FailureView, OpenFinding } from '../../model/openFinding.js';
import type { State } from '../../model/types.js';
import { FLAG_GPU_ALWAYS_MAPPED } from '../../model/uapi.js';
import { writableDevicePrivatePte } from '../common/writableDevicePrivatePte.js';
import { rangeFromAddrView, svmStateView, type SvmRange } from '../svm/svmState.js';
import { EVICTION_DISCARDED_WITH_DATA } from './kfdEvictSvmBo.js';
import { kfdMapBitmap } from './kfdMapBitmap.js';
import { invalidOf, mappedToGpu } from './kfdState.js';
import {
  ALWAYS_MAPPED_EVICTED,
  EVICTED_RANGE_SPLIT,
  EVICT_SKIPS_UNMAPPED_RANGE,
  NO_ACCESS_GPU_KEEPS_PTES,
  SET_ATTR_FAILED_APPLIED,
} from './kfdUpstreamMarks.js';

/** The range (piece) holding the finding's page, if the finding has one. */
function rangeOfFinding(
  s: State,
  at: { pid?: number; vpn?: number } | undefined,
): Readonly<SvmRange> | undefined {
  if (at?.pid === undefined || at.vpn === undefined) return undefined;
  return rangeFromAddrView(s, at.pid, at.vpn);
}

/** XNACK off, the page's range is not mapped_to_gpu, and svm_range_evict ignored an invalidation of such a range. */
function unmappedRangeIgnored(
  s: State,
  at: { pid?: number; vpn?: number } | undefined,
  stats: ReadonlyMap<string, number>,
): boolean {
  const r = rangeOfFinding(s, at);
  return s.cfg.xnack === 'off' && !!r && !mappedToGpu(r) && stats.has(EVICT_SKIPS_UNMAPPED_RANGE);
}

/**
 * The finding's GPU has neither access nor access in place to the range holding its page, as the
 * range has it (set_attr changes the range before it returns and the uAPI's record is updated).
 */
function gpuWithoutAccess(s: State, at: { gpu?: number; pid?: number; vpn?: number } | undefined): boolean {
  const r = rangeOfFinding(s, at);
  return !!r && at?.gpu !== undefined && !(((r.a.access | r.a.aip) >> at.gpu) & 1);
}

/**
 * set_attr left the PTEs of a GPU that lost access, and the finding is about such a GPU's PTE: a GPU
 * with no access should have no PTE at all, so whatever is wrong with the one it kept (stale after
 * the page went, writable after the CPU's pte did, there after mprotect(PROT_NONE)) is that PTE's
 * being there.
 */
function lostAccessKeptPte(f: FailureView, s: State, stats: ReadonlyMap<string, number>): boolean {
  return gpuWithoutAccess(s, f.at) && stats.has(NO_ACCESS_GPU_KEEPS_PTES);
}

/**
 * The finding's page is in a piece of an evicted range (XNACK off, or GPU_ALWAYS_MAPPED) that a split
 * left with invalid 0, so restore_work did not validate it again.
 */
function splitPieceSkipped(
  s: State,
  at: { pid?: number; vpn?: number } | undefined,
  stats: ReadonlyMap<string, number>,
): boolean {
  const r = rangeOfFinding(s, at);
  const evicts = s.cfg.xnack === 'off' || (!!r && (r.a.flags & FLAG_GPU_ALWAYS_MAPPED) !== 0);
  return evicts && !!r && invalidOf(r) === 0 && stats.has(EVICTED_RANGE_SPLIT);
}

/** The finding's GPU is outside the bitmap svm_range_validate_and_map(MAX_GPU_INSTANCE) maps for its range. */
function outsideValidateBitmap(
  s: State,
  at: { gpu?: number; pid?: number; vpn?: number } | undefined,
): boolean {
  const r = rangeOfFinding(s, at);
  return !!r && at?.gpu !== undefined && !((kfdMapBitmap(s, r) >> at.gpu) & 1);
}

/** The archived case of set_attr(GPU_RO) leaving writable PTEs on the GPUs it does not map again. */
const GPU_RO_CASE = 'kfd-51990dc431bd';

/** The archived case of a failed set_attr's attributes left applied and unmapped. */
const SET_ATTR_FAILED_CASE = 'kfd-61ecbdcbfbaf';

export const KFD_OPEN_FINDINGS: readonly OpenFinding[] = [
  {
    // set_attr's "TODO: unmap ranges from GPU that lost access": the GPU keeps its PTE.
    case: 'kfd-28dc3c4c7f7a',
    invariant: 'gpu-pte-honours-attributes',
    explains: (f, _s, stats) => f.code === 'no-access' && stats.has(NO_ACCESS_GPU_KEEPS_PTES),
  },
  {
    // ... and through munmap: svm_range_unmap_from_gpus walks the same bitmaps.
    case: 'kfd-28dc3c4c7f7a',
    invariant: 'no-gpu-pte-after-munmap',
    explains: (f, _s, stats) => f.code === 'unmapped' && stats.has(NO_ACCESS_GPU_KEEPS_PTES),
  },
  {
    // MMU_NOTIFY_RELEASE returns at once; the GPU page tables go in kfd_process_wq_release's
    // svm_range_list_fini, after exit_mmap: until its ranges are freed, the exited process's PTEs stay.
    case: 'kfd-ea6e87e6e500',
    invariant: 'no-gpu-pte-after-munmap',
    explains: (f, s) => f.code === 'exited' && svmStateView(s).ranges.some((r) => r.pid === f.at?.pid),
  },
  {
    // XNACK on, GPU_ALWAYS_MAPPED: restore_work revalidates only on the GPUs svm_range_validate_and_map
    // picks (in place, the VRAM's GPU); another GPU resumes with the PTE it had: to the freed page, or
    // writable after an mprotect made the page read-only.
    case: 'kfd-9060788ac21b',
    invariant: 'xnack-off-restore-fresh',
    explains: (f, s, stats) =>
      (f.code === 'stale' || f.code === 'writable') &&
      s.cfg.xnack !== 'off' &&
      stats.has(ALWAYS_MAPPED_EVICTED) &&
      outsideValidateBitmap(s, f.at),
  },
  {
    // kfd-28dc3c4c7f7a's GPU without access is not validated again either (restore_work maps the
    // GPUs of bitmap_access | bitmap_aip): the PTE it kept resumes stale.
    case: 'kfd-28dc3c4c7f7a',
    invariant: 'xnack-off-restore-fresh',
    explains: (f, s, stats) => lostAccessKeptPte(f, s, stats),
  },
  {
    // XNACK on: set_attr(SET_FLAGS GPU_RO) maps again only the GPUs of svm_range_validate_and_map's
    // bitmap (in place, the VRAM's GPU); another GPU keeps the writable PTE it had.
    case: GPU_RO_CASE,
    invariant: 'gpu-pte-honours-attributes',
    explains: (f, s) => f.code === 'read-only' && s.cfg.xnack !== 'off' && outsideValidateBitmap(s, f.at),
  },
  {
    // XNACK off (or GPU_ALWAYS_MAPPED): a piece split off an evicted range starts with invalid 0 and
    // restore_work skips it, leaving the PTE it had before the eviction: to a freed page, or
    // writable on a page fork has since write-protected.
    case: 'kfd-9c3b878df1fc',
    invariant: 'xnack-off-restore-fresh',
    explains: (f, s, stats) =>
      (f.code === 'stale' || f.code === 'writable') && splitPieceSkipped(s, f.at, stats),
  },

  {
    // restore_work (XNACK off, or a GPU_ALWAYS_MAPPED range) maps our own read-only
    // device-private page writable by VM_WRITE alone.
    case: 'kfd-e93a8bc4c381',
    invariant: 'xnack-off-restore-fresh',
    explains: (f, s) => writableDevicePrivatePte(f, s, 'vma'),
  },
  {
    // kfd-28dc3c4c7f7a's GPU without access keeps its PTE through invalidations too
    // (svm_range_unmap_from_gpus walks the same bitmaps): stale when the CPU page goes, writable
    // when the CPU's pte goes or loses write, there after mprotect(PROT_NONE).
    case: 'kfd-28dc3c4c7f7a',
    invariant: 'mirror-consistency',
    explains: (f, s, stats) => lostAccessKeptPte(f, s, stats),
  },
  {
    // kfd-9c3b878df1fc's skipped piece seen once the queues run: its PTE survived an mprotect or
    // unmap the eviction stood for.
    case: 'kfd-9c3b878df1fc',
    invariant: 'mirror-consistency',
    explains: (f, s, stats) => splitPieceSkipped(s, f.at, stats),
  },
  {
    // ... and as a PTE that predates a flags change: the piece restore_work skipped keeps the
    // writable PTE of a range set_attr made GPU_RO while it was evicted.
    case: 'kfd-9c3b878df1fc',
    invariant: 'gpu-pte-honours-attributes',
    explains: (f, s, stats) => splitPieceSkipped(s, f.at, stats),
  },
  {
    // kfd-e93a8bc4c381's mapping with XNACK on: after fork or mprotect, the retry fault maps our
    // own read-only device-private page writable by VM_WRITE alone.
    case: 'kfd-721040332cca',
    invariant: 'mirror-consistency',
    explains: (f, s) => writableDevicePrivatePte(f, s, 'vma'),
  },
  {
    // XNACK off: a set_attr that fails after applying its attributes (validate_and_map's -EAGAIN)
    // leaves them applied and unmapped; a later set_attr that changes nothing mapping-relevant
    // (preferred location alone: no update_mapping, no migration) maps nothing and returns 0.
    case: SET_ATTR_FAILED_CASE,
    invariant: 'xnack-off-mapped',
    explains: (f, s, stats) => {
      const r = rangeOfFinding(s, f.at);
      return f.code === 'set-attr' && !!r && !mappedToGpu(r) && stats.has(SET_ATTR_FAILED_APPLIED);
    },
  },
  {
    // ... and with XNACK on as a flag the mapping never took: the failed set_attr(GPU_RO) left the
    // range read-only for the GPU and its PTE writable.
    case: SET_ATTR_FAILED_CASE,
    invariant: 'gpu-pte-honours-attributes',
    explains: (f, _s, stats) => f.code === 'read-only' && stats.has(SET_ATTR_FAILED_APPLIED),
  },
  {
    // XNACK off: svm_range_evict ignores a range not mapped_to_gpu, and restore_work resumes the
    // queues (or a set_attr that changes nothing mapping-relevant returns 0) with its readable pages
    // unmapped.
    case: 'kfd-f8338d3890b0',
    invariant: 'xnack-off-mapped',
    explains: (f, s, stats) =>
      (f.code === 'resume' || f.code === 'set-attr') && unmappedRangeIgnored(s, f.at, stats),
  },
  {
    // ... and the GPU's access there is a fatal fault.
    case: 'kfd-c91a4b6b6515',
    invariant: 'permitted-access-served',
    explains: (f, s, stats) => f.code === 'gpu-fatal' && unmappedRangeIgnored(s, f.at, stats),
  },
  {
    // TTM evicts an SVM BO: svm_range_evict_svm_bo_worker moves what the ranges on
    // svm_bo->range_list map through the BO's mm, gives up on a page it cannot move after three
    // passes, signals the fence, and TTM discards the DISCARDABLE BO under pages still holding data.
    case: 'kfd-66b19d8ac46d',
    invariant: 'vram-accounting',
    explains: (f, _s, stats) => f.code === 'stray' && stats.has(EVICTION_DISCARDED_WITH_DATA),
  },
];
