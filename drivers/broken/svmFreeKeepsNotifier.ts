// The reference svm_range driver whose deferred worker frees an unmapped range without removing its
// interval notifier first: deferred_work's 'ops' step forgets the notifier of each range it is about
// to free, then runs the reference's own (withSteps and stepOf, the public override API). The
// notifier stays registered on the mm with its invalidate callback pointing into the freed range.
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { reference } from '../reference.js';
import type { SvmDeferredWorkLocals } from '../svm/svmNotifier.js';
import { children, rangeById } from '../svm/svmState.js';

const ops = stepOf<SvmDeferredWorkLocals>(reference, 'deferred_work', 'ops');

export const svmFreeKeepsNotifier: Driver = defineDriver(
  withSteps<SvmDeferredWorkLocals>(
    reference,
    'deferred_work',
    {
      ops(env, l, x) {
        const r = rangeById(env.s, l.id);
        // The bug: no svm_range_remove_notifier() before svm_range_free() for a range being freed.
        if (r) for (const c of [...children(env.s, r.id), r]) if (c.op === 'unmap') c.nid = -1;
        return ops(env, l, x);
      },
    },
    {
      name: 'svm-free-keeps-notifier',
      summary:
        'svm_range driver whose deferred worker frees an unmapped range without removing its mmu_interval_notifier',
      broken: {
        bug: 'an unmapped range is freed while its mmu_interval_notifier stays registered: the next invalidation of that interval (the VA mapped again, a migration, exit) calls back into the freed range',
        fix: 'kfd_svm.c svm_range_handle_list_op (SVM_OP_UNMAP_RANGE): svm_range_unlink(), svm_range_remove_notifier(), then svm_range_free()',
        expects: 'memory-safety',
        layer: 'svm_range',
        scenario: [
          'set_attr registers a range and its interval notifier; munmap queues the range to be freed',
          'the deferred worker frees it without mmu_interval_notifier_remove(): the notifier points into freed memory',
        ],
      },
    },
  ),
);
