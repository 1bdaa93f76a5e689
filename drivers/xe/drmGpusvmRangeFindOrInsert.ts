// drm_gpusvm_range_find_or_insert() with drm_gpusvm_range_chunk_size() and drm_gpusvm_check_pages()
// (drivers/gpu/drm/drm_gpusvm.c at 0542972950ef26670a5696e43c0ea2b7b6ac96d4): the range holding the
// fault address, or a new one — the largest aligned chunk that fits the CPU VMA and the notifier
// block, overlaps no range of this gpusvm (a one-page chunk is never checked for overlap), and, up to
// check_pages_threshold, covers only pages the CPU has faulted in. A notifier is inserted for the
// block when the gpusvm has none there.
//
// Context: the caller holds the driver's svm lock (vm->lock) and mmap_lock for read (the kernel
// takes it inside; the model's caller takes it in the same step). Returns the range, or an errno:
// -ENOENT no VMA, -EPERM a writable request on a VMA without VM_WRITE, -EINVAL no chunk fits.
import { vmaAt } from '../../model/mem.js';
import { notifierInsert } from '../../model/notifier.js';
import type { State } from '../../model/types.js';
import {
  XE_CHUNKS,
  XE_NOTIFIER_PAGES,
  xeOwner,
  xeState,
  type XeErr,
  type XeNotifier,
  type XeRange,
} from './xeState.js';

/** struct drm_gpusvm_ctx, the fields find_or_insert and get_pages read. */
export interface XeCtx {
  readOnly: boolean;
  devmemPossible: boolean;
  /** In pages: chunks up to this size are created only over pages the CPU has faulted in. */
  checkPagesThreshold: number;
  devmemOnly: boolean;
  allowMixed: boolean;
}

/**
 * drm_gpusvm_check_pages(): hmm_range_fault() without faulting, under the mmap_lock the caller
 * holds; every page must have a valid pfn (a present pte, or a device-private page of our owner).
 */
function checkPages(s: State, gpu: number, pid: number, start: number, end: number): boolean {
  const p = s.procs[pid];
  if (!p) return false;
  for (let v = start; v < end; v++) {
    const pte = p.pt[v] ?? null;
    if (!pte || pte.t === 'm' || pte.t === 'x') return false;
    if (pte.t === 'd' && s.phys[pte.page]?.owner !== xeOwner(s.cfg, gpu)) return false;
  }
  return true;
}

export function drmGpusvmRangeFindOrInsert(
  s: State,
  gpu: number,
  pid: number,
  vpn: number,
  ctx: XeCtx,
): XeRange | XeErr {
  const st = xeState(s);
  let n: XeNotifier | undefined = st.notifiers.find(
    (x) => x.gpu === gpu && x.pid === pid && vpn >= x.start && vpn < x.end,
  );
  const v = vmaAt(s, pid, vpn);
  if (!v) return 'ENOENT';
  if (!ctx.readOnly && v.prot !== 'rw') return 'EPERM';
  const found = st.ranges.find((r) => r.gpu === gpu && r.pid === pid && vpn >= r.start && vpn <= r.last);
  if (found) return found;
  const bs = Math.floor(vpn / XE_NOTIFIER_PAGES) * XE_NOTIFIER_PAGES;
  const be = bs + XE_NOTIFIER_PAGES;
  // migrate_vma_* move anonymous memory only (vma_is_anonymous; shmem is not).
  const migrateDevmem = ctx.devmemPossible && v.shm < 0;
  for (const c of XE_CHUNKS) {
    const start = Math.floor(vpn / c) * c;
    const end = start + c;
    if (start < v.start || end > v.end || start < bs || end > be) continue;
    if (c !== 1) {
      if (st.ranges.some((r) => r.gpu === gpu && r.pid === pid && r.start < end && r.last >= start)) continue;
      if (c <= ctx.checkPagesThreshold && !checkPages(s, gpu, pid, start, end)) continue;
    }
    if (!n) {
      n = { nid: notifierInsert(s, pid, bs, be, gpu), gpu, pid, start: bs, end: be };
      st.notifiers.push(n);
    }
    const r: XeRange = {
      id: st.next++,
      gpu,
      pid,
      start,
      last: end - 1,
      nid: n.nid,
      ref: 1,
      migrateDevmem,
      pages: { dma: false, devmem: false, dpagemap: -1, unmapped: false, partialUnmap: false, pfns: [] },
      bound: false,
    };
    st.ranges.push(r);
    return r;
  }
  return 'EINVAL';
}
