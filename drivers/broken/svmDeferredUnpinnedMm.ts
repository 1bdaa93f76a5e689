// The reference svm_range driver whose deferred list work does not pin the mm: the notifier's
// 'queue' step puts the range on svms->deferred_range_list without the mmget that
// svm_range_add_list_work has taken since 367c9b0f1b87 ("drm/amdkfd: Ensure mm remain valid in svm
// deferred_list work", v5.18), and the worker's 'put' step drops no reference (withSteps, the public
// override API). The worker keeps prange->work_item.mm, a pointer the process's exit may free.
// Before that commit kfd's worker took get_task_mm(p->lead_thread) and gave up when the task was
// gone, leaking child ranges and notifiers (its commit message); this variant is the pin's other
// half missing: the worker goes on with the stored mm.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { unlock } from '../../model/locks.js';
import { goto, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { queueListWork, type SvmDeferredWorkLocals, type SvmInvalidateLocals } from '../svm/svmNotifier.js';
import { rangeById, rangeLock } from '../svm/svmState.js';

const unpinnedQueue = withSteps<SvmInvalidateLocals>(reference, 'invalidate', {
  queue(env, l) {
    const r = rangeById(env.s, l.tag);
    if (!r) throw new Error(`invalidate: svm_range ${l.tag} vanished while its lock was held`);
    // The bug: no mmget(mm) for the new list entry.
    queueListWork(env, r, l.whole ? 'unmap' : 'update');
    unlock(env, rangeLock(r.id));
    return ret(true);
  },
});

export const svmDeferredUnpinnedMm: Driver = defineDriver(
  withSteps<SvmDeferredWorkLocals>(
    unpinnedQueue,
    'deferred_work',
    {
      // ... and so no mmput(mm) after the range is handled.
      put: () => goto('next'),
    },
    {
      name: 'svm-deferred-unpinned-mm',
      summary:
        'svm_range driver whose deferred list work uses the mm it was queued for without holding a reference to it',
      broken: {
        bug: 'munmap queues a range for the deferred worker without mmget; the process exits and its last mmput tears the mm down (exit_mmap) before the worker runs, which then takes mmap_lock of the freed mm',
        fix: 'drm/amdkfd 367c9b0f1b87 "Ensure mm remain valid in svm deferred_list work": mmget in svm_range_add_list_work, mmput in svm_range_deferred_list_work after each range (kfd_svm.c, read at 8f8cc3fb4350)',
        expects: 'memory-safety',
        layer: 'svm_range',
        scenario: [
          'a munmap of part of a range queues it for the deferred worker, which takes no reference to the mm',
          "the process exits first: its mmput is the last, exit_mmap frees the mm, and the worker then takes the freed mm's mmap_lock",
        ],
      },
    },
  ),
);
