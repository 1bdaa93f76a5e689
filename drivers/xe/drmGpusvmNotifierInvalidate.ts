// drm_gpusvm_notifier_invalidate() (drivers/gpu/drm/drm_gpusvm.c at
// 0542972950ef26670a5696e43c0ea2b7b6ac96d4) calling xe_svm_invalidate()
// (drivers/gpu/drm/xe/xe_svm.c at 0131514f97890c4699a4d7ca14b720dafefdbc71): under the gpusvm's
// notifier lock taken for write, mmu_interval_set_seq(); then, over the ranges of the notifier the
// invalidation overlaps, xe's two passes: xe_svm_range_notifier_event_begin() zaps the GPU binding
// of each range that has one and is not already unmapped (the zap covers the whole range), and
// xe_svm_range_notifier_event_end() unmaps each range's pages (drm_gpusvm_range_unmap_pages,
// in_notifier) and, on MMU_NOTIFY_UNMAP, marks it unmapped (drm_gpusvm_range_set_unmapped:
// partial_unmap when the invalidation does not cover it) and queues it for the garbage collector
// (xe_svm_garbage_collector_add_range). Process exit (MMU_NOTIFY_RELEASE) is handled as an unmap:
// the ranges go too.
//
// The model's stand-in notifier for a process's DRM file (drivers/xe/xeSvmInit.ts, tag XE_FILE_TAG)
// is no drm_gpusvm notifier: its callback ('file') does nothing but, on MMU_NOTIFY_RELEASE, release
// the file (xe_svm_close of the process's VMs and their preferred-location references).
//
// Each of those rules is a step of its own ('set_seq', 'zap', 'unmap_pages', 'set_unmapped',
// 'gc_add'), joined by goto: one atomic step, as the callback runs under the notifier lock, so a
// variant replaces the one rule it breaks (withSteps) and keeps the rest.
//
// Context: mmu_interval_notifier_ops.invalidate, blockable; takes gpusvm->notifier_lock for write.
// Returns true.
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { count, goto, ret } from '../../model/proc.js';
import type { NotifyEvent } from '../../model/events.js';
import type { State } from '../../model/types.js';
import { drmGpusvmUnmapPages } from './drmGpusvmUnmapPages.js';
import { XE_FILE_TAG, xeFileRelease } from './xeSvmInit.js';
import { notifierLock, xeState, type XeRange } from './xeState.js';

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

/** The ranges of the notifier the invalidation overlaps (drm_gpusvm_for_each_range), in order. */
export function invalidatedRanges(s: State, l: XeInvalidateArgs): XeRange[] {
  return xeState(s).ranges.filter((r) => r.nid === l.nid && r.start < l.end && r.last >= l.start);
}

export const drmGpusvmNotifierInvalidate: DriverProc<XeInvalidateArgs, boolean> = defineDriverProc<
  XeInvalidateArgs,
  boolean
>('invalidate', {
  start(env, l) {
    if (l.tag === XE_FILE_TAG) return goto('file');
    const b = lockOrBlock(env, notifierLock(l.tag, l.pid), 'w');
    if (b) return b;
    return goto('set_seq');
  },
  file(env, l) {
    if (l.event === 'release') xeFileRelease(env, l.pid);
    return ret(true);
  },
  set_seq(env, l) {
    setSeq(env.s, l.nid, l.seq);
    return goto('zap');
  },
  zap(env, l) {
    for (const r of invalidatedRanges(env.s, l)) {
      if (r.pages.unmapped || !r.bound) continue;
      gpuZap(env, r.gpu, r.pid, r.start, r.last + 1);
      r.bound = false;
      count(env, 'xe: GPU binding zapped by a notifier');
    }
    return goto('unmap_pages');
  },
  unmap_pages(env, l) {
    for (const r of invalidatedRanges(env.s, l)) drmGpusvmUnmapPages(r);
    return goto('event');
  },
  event(_env, l) {
    return goto(l.event === 'unmap' || l.event === 'release' ? 'set_unmapped' : 'done');
  },
  set_unmapped(env, l) {
    for (const r of invalidatedRanges(env.s, l)) {
      r.pages.unmapped = true;
      if (r.start < l.start || r.last >= l.end) r.pages.partialUnmap = true;
    }
    return goto('gc_add');
  },
  gc_add(env, l) {
    const gc = xeState(env.s).gc;
    for (const r of invalidatedRanges(env.s, l)) if (!gc.includes(r.id)) gc.push(r.id);
    return goto('done');
  },
  done(env, l) {
    unlock(env, notifierLock(l.tag, l.pid));
    return ret(true);
  },
});
