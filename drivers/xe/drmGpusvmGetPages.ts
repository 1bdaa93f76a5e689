// drm_gpusvm_range_get_pages() -> drm_gpusvm_get_pages() (drivers/gpu/drm/drm_gpusvm.c at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4): when the pages are still valid, only the sequence is
// taken; otherwise hmm_range_fault() faults every page of the range in (for write unless read_only),
// with our pgmap owner as dev_private_owner (device pages of our interconnect group are reported
// as they are, others are migrated back by their owner's migrate_to_ram), retried on -EBUSY. The
// pages are then "dma-mapped" under the notifier lock, where a changed sequence restarts and an
// unmapped range fails -EFAULT. One drm_pagemap per pages struct: a device page of another
// pagemap than the first one's, or (without allow_mixed) of another zdd, or a system page after
// device pages, fails -EOPNOTSUPP; with devmem_only a system page fails -EFAULT. On failure the
// pages mapped so far are unmapped again.
//
// Context: the caller holds the driver's svm lock; takes mmap_lock for read around
// hmm_range_fault() and gpusvm->notifier_lock (read) to map. Returns 0, -EBUSY (never in the model:
// a fair scheduler lets the retry through), -EFAULT, -EPERM or -EOPNOTSUPP.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { kernel } from '../../api/kernel.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { readBegin, readRetry } from '../../model/notifier.js';
import { block, count, goto, spinTo, yieldTo } from '../../model/proc.js';
import { notifierLock, rangeById, xeOwner, xeState, xeView, type XeErr } from './xeState.js';
import { drmGpusvmMapPages } from './drmGpusvmMapPages.js';

export interface XeGetPagesArgs {
  gpu: number;
  pid: number;
  rid: number;
  readOnly: boolean;
  devmemOnly: boolean;
  allowMixed: boolean;
}

export interface XeGetPagesLocals extends XeGetPagesArgs {
  seq: number;
  pfns: number[];
}

export const drmGpusvmGetPages: DriverProc<XeGetPagesArgs, 0 | XeErr, XeGetPagesLocals> = defineDriverProc<
  XeGetPagesArgs,
  0 | XeErr,
  XeGetPagesLocals
>('drm_gpusvm_get_pages', {
  start(env, l) {
    const s = env.s;
    const r = rangeById(xeView(s), l.rid);
    if (!r) return drmGpusvmGetPages.ret('EFAULT');
    const seq = readBegin(s, r.nid);
    if (seq === null) return block({ k: 'notifier', id: r.nid });
    l.seq = seq;
    // drm_gpusvm_pages_valid_unlocked(): a notifier lock section of its own.
    if (r.pages.dma || r.pages.devmem) return drmGpusvmGetPages.ret(0);
    const b = lockOrBlock(env, mmapLock(l.pid), 'r');
    if (b) return b;
    const n = r.last - r.start + 1;
    const req = Array.from({ length: n }, () => (l.readOnly ? (1 as const) : (2 as const)));
    const args = { nid: r.nid, seq, pid: l.pid, start: r.start, n, req, owner: xeOwner(s.cfg, l.gpu) };
    return invoke(kernel.hmmRangeFault, args, 'faulted');
  },
  faulted(env, l, res) {
    unlock(env, mmapLock(l.pid));
    const h = kernel.hmmRangeFault.result(res);
    if (h.err === 'EBUSY') {
      count(env, 'xe: hmm_range_fault -EBUSY');
      return spinTo('start');
    }
    if (h.err !== '0') return drmGpusvmGetPages.ret(h.err as XeErr);
    l.pfns = h.pfns;
    return yieldTo('map');
  },
  map(env, l) {
    const s = env.s;
    const lock = notifierLock(l.gpu, l.pid);
    const b = lockOrBlock(env, lock, 'r');
    if (b) return b;
    const r = rangeById(xeState(s), l.rid);
    if (!r || r.pages.unmapped) {
      unlock(env, lock);
      return drmGpusvmGetPages.ret('EFAULT');
    }
    if (readRetry(s, r.nid, l.seq)) {
      unlock(env, lock);
      return goto('start');
    }
    const err = drmGpusvmMapPages(s, r, l.pfns, l);
    if (err) {
      unlock(env, lock);
      count(env, `xe: get_pages -${err}`);
      return drmGpusvmGetPages.ret(err);
    }
    unlock(env, lock);
    return drmGpusvmGetPages.ret(0);
  },
});
