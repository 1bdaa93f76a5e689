// drm_gpusvm_notifier_invalidate() (drivers/gpu/drm/drm_gpusvm.c at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4) calling xe_svm_invalidate()
// (drivers/gpu/drm/xe/xe_svm.c at 0131514f97890c4699a4d7ca14b720dafefdbc71): under the gpusvm's
// notifier lock taken for write, mmu_interval_set_seq(); then for every range of the notifier the
// invalidation overlaps, its GPU binding is zapped when it has one and is not already unmapped
// (xe_svm_range_notifier_event_begin: the zap covers the whole range), its pages are unmapped
// (drm_gpusvm_range_unmap_pages, in_notifier), and on MMU_NOTIFY_UNMAP the range is marked unmapped
// (partial_unmap when the invalidation does not cover it) and queued for the garbage collector.
// Process exit (MMU_NOTIFY_RELEASE) is handled as an unmap: the ranges go too.
//
// Context: mmu_interval_notifier_ops.invalidate, blockable; takes gpusvm->notifier_lock for write.
// Returns true.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { count, ret } from '../../model/proc.js';
import type { NotifyEvent } from '../../model/events.js';
import { drmGpusvmUnmapPages } from './drmGpusvmUnmapPages.js';
import { notifierLock, xeState } from './xeState.js';

export interface XeInvalidateArgs {
  nid: number;
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: NotifyEvent;
  owner: number;
  seq: number;
}

export const drmGpusvmNotifierInvalidate: DriverProc<XeInvalidateArgs, boolean> = defineDriverProc<
  XeInvalidateArgs,
  boolean
>('invalidate', {
  start(env, l) {
    const lock = notifierLock(l.tag, l.pid);
    const b = lockOrBlock(env, lock, 'w');
    if (b) return b;
    setSeq(env.s, l.nid, l.seq);
    const st = xeState(env.s);
    const unmap = l.event === 'unmap' || l.event === 'release';
    for (const r of st.ranges) {
      if (r.nid !== l.nid || r.start >= l.end || r.last < l.start) continue;
      if (!r.pages.unmapped && r.bound) {
        gpuZap(env, r.gpu, r.pid, r.start, r.last + 1);
        r.bound = false;
        count(env, 'xe: GPU binding zapped by a notifier');
      }
      drmGpusvmUnmapPages(r);
      if (!unmap) continue;
      // drm_gpusvm_range_set_unmapped() + xe_svm_garbage_collector_add_range().
      r.pages.unmapped = true;
      if (r.start < l.start || r.last >= l.end) r.pages.partialUnmap = true;
      if (!st.gc.includes(r.id)) st.gc.push(r.id);
    }
    unlock(env, lock);
    return ret(true);
  },
});
