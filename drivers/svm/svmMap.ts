// svm_range_validate_and_map: hmm_range_fault over the window (VMA by VMA), then under the range
// lock, only if mmu_interval_read_retry says nothing moved and no munmap split the range, program
// each GPU's PTEs page by page with the kind each page needs: system memory, local VRAM, or a
// peer's VRAM over XGMI (seed 004's mixed mappings).
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, PFN_ERROR, PFN_NONE, type HmmResult } from '../../model/kernel/hmm.js';
import { tryLock, unlock } from '../../model/locks.js';
import { vmaAt } from '../../model/mem.js';
import { readBegin, readRetry } from '../../model/notifier.js';
import { block, call, count, defineProc, goto, ret, yieldTo, type Env, type Proc } from '../../model/proc.js';
import { FLAG_GPU_RO } from '../../model/uapi.js';
import { hiveOwner } from './svmMigrate.js';
import { unmapFromGpus } from './svmNotifier.js';
import type { SvmDesign } from './svmDesign.js';
import { children, rangeById, rangeLock, type SvmRange } from './svmState.js';
import { gpuList } from './gpuList.js';
import { svmMapTarget } from './svmMapTarget.js';
import { filled } from '../../model/filled.js';

/** Locals of validate_and_map (svm_range_validate_and_map), for variants that replace a step. */
export interface SvmMapLocals {
  rid: number;
  start: number;
  last: number;
  gpus: number;
  addr: number;
  segEnd: number;
  readonly: boolean;
  seq: number;
  pfns: number[];
}

/** The range of a step that holds its lock (it cannot have gone). */
function lockedRange(env: Env, l: SvmMapLocals): SvmRange {
  const r = rangeById(env.s, l.rid);
  if (!r) throw new Error(`validate_and_map: range ${l.rid} gone under its lock`);
  return r;
}

/**
 * svm_range_map_to_gpus() of the window's pages, under the range lock: on each GPU of the bitmap
 * that can reach them, page by page with the kind each page needs (svmMapTarget), writable when
 * the VMA, the GPU_RO attribute and `writable(pfn)` allow it. A GPU that cannot reach the range's
 * VRAM is skipped.
 */
export function svmMapOnGpus(
  env: Env,
  l: SvmMapLocals,
  actualLoc: boolean,
  writable: (pfn: number) => boolean,
): void {
  const s = env.s;
  const r = lockedRange(env, l);
  for (const g of gpuList(l.gpus)) {
    const pages = l.pfns.map((pfn) =>
      pfn === PFN_NONE || pfn === PFN_ERROR ? -1 : svmMapTarget(s, r, g, pfnPage(pfn), actualLoc),
    );
    if (pages.some((p) => p < 0)) {
      count(env, 'GPU cannot reach VRAM of this range');
      continue;
    }
    pages.forEach((page, i) => {
      const vpn = l.addr + i;
      if (vpn < r.start || vpn > r.last) return;
      const w = !l.readonly && !(r.a.flags & FLAG_GPU_RO) && writable(l.pfns[i] ?? -1);
      gpuMap(env, g, r.pid, vpn, page, w);
      r.pm[vpn - r.start] = (r.pm[vpn - r.start] ?? 0) | (1 << g);
    });
  }
}

/**
 * validate_and_map - svm_range_validate_and_map() (kfd_svm.c): VMA by VMA over [start, last],
 * hmm_range_fault the pages (amdgpu_hmm_range_get_pages), then under the range's lock, unless the
 * notifier sequence moved (amdgpu_hmm_range_get_pages_done) or the range was split meanwhile, map
 * them on each GPU of the bitmap (svm_range_map_to_gpus); a PROT_NONE VMA is unmapped, not faulted.
 *
 * Context: the caller holds mmap_lock for read and svms->lock; may block on the notifier sequence
 * (mmu_interval_read_begin during an invalidation) and takes prange->lock (may block).
 * Return: 0, 'EAGAIN' (the range changed: the caller retries), 'EFAULT' (no VMA), or
 * hmm_range_fault's error.
 */
export function validateAndMap(design: SvmDesign): Proc {
  return defineProc<SvmMapLocals>('validate_and_map', {
    start(_env, l) {
      l.addr = l.start;
      return goto('seg');
    },
    seg(env, l) {
      const s = env.s;
      const r = rangeById(s, l.rid);
      if (!r || r.nid < 0) return ret('EAGAIN');
      if (l.addr > l.last) return ret(0);
      const v = vmaAt(s, r.pid, l.addr);
      if (!v) return ret('EFAULT');
      l.segEnd = Math.min(v.end - 1, l.last);
      // HMM requires at least read permission: a PROT_NONE VMA inside the window is unmapped from
      // the GPUs and skipped, not faulted (-EFAULT would fail the whole fault, including pages
      // the GPU may access). This is the VM_READ check of upstream svm_range_validate_and_map
      // (read in a kfd_svm.c with queue_refcount); 6.1 and 006ad514a50c do not have it.
      if (v.prot === 'none') return goto('protnone');
      l.readonly = v.prot !== 'rw';
      const seq = readBegin(s, r.nid);
      if (seq === null) return block({ k: 'notifier', id: r.nid });
      l.seq = seq;
      // One owner if every GPU to map shares it, else none: then all device pages come back to RAM.
      const owners = new Set(gpuList(l.gpus).map((g) => hiveOwner(s.cfg, g)));
      const owner = owners.size === 1 ? ([...owners][0] as number) : -1;
      const n = l.segEnd - l.addr + 1;
      const req = filled<number>(n, l.readonly ? 1 : 2);
      return call('hmm_range_fault', { nid: r.nid, seq, pid: r.pid, start: l.addr, n, req, owner }, 'got');
    },
    protnone(env, l) {
      const r = rangeById(env.s, l.rid);
      if (!r) return ret('EAGAIN');
      if (!tryLock(env, rangeLock(r.id), 'w')) return block({ k: 'lock', name: rangeLock(r.id), mode: 'w' });
      unmapFromGpus(env, r, l.addr, l.segEnd);
      unlock(env, rangeLock(r.id));
      l.addr = l.segEnd + 1;
      return goto('seg');
    },
    got(_env, l, res) {
      const h = res as HmmResult;
      if (h.err === 'EBUSY') return ret('EAGAIN');
      if (h.err !== '0') return ret(h.err);
      l.pfns = h.pfns;
      // Preemption point: between hmm_range_fault and taking the range lock.
      return yieldTo('commit');
    },
    commit(env, l) {
      const r = rangeById(env.s, l.rid);
      if (!r) return ret('EAGAIN');
      if (!tryLock(env, rangeLock(r.id), 'w')) return block({ k: 'lock', name: rangeLock(r.id), mode: 'w' });
      return goto('retry');
    },
    // The checks and the mapping under the range lock are steps of their own, chained by goto
    // within one scheduler step as one block of code would be, so that a variant replaces one
    // decision (withSteps/stepOf) instead of copying the commit.
    /** amdgpu_hmm_range_get_pages_done(): mmu_interval_read_retry under the range lock. */
    retry(env, l) {
      return readRetry(env.s, lockedRange(env, l).nid, l.seq) ? goto('eagain') : goto('split');
    },
    /** A munmap split the range since the snapshot: its pages belong to the pieces now. */
    split(env, l) {
      return children(env.s, l.rid).length > 0 ? goto('eagain') : goto('map');
    },
    eagain(env, l) {
      unlock(env, rangeLock(l.rid));
      count(env, 'validate_and_map -EAGAIN');
      return ret('EAGAIN');
    },
    map(env, l) {
      const fromVma = !!design.pteWriteFromVma;
      svmMapOnGpus(env, l, !!design.actualLoc, (pfn) => fromVma || pfnWrite(pfn));
      return goto('next');
    },
    /** The window is mapped: drop the range lock and go on with the next VMA. */
    next(env, l) {
      unlock(env, rangeLock(l.rid));
      l.addr = l.segEnd + 1;
      return goto('seg');
    },
  });
}
