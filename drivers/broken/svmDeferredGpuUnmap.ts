// The reference svm_range driver whose MMU_NOTIFY_UNMAP callback only splits and queues the range,
// leaving the GPU unmap to the deferred worker: invalidate's 'unmap' step replaced, and
// deferred_work's 'ops' step unmaps the freed ranges from the GPUs before the reference's own
// (withSteps and stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { unlock } from '../../model/locks.js';
import { bump, emit, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { unmapSplit } from '../svm/rangeOps.js';
import {
  addListWork,
  unmapFromGpus,
  type SvmDeferredWorkLocals,
  type SvmInvalidateLocals,
} from '../svm/svmNotifier.js';
import { children, draining, rangeById, rangeLock } from '../svm/svmState.js';

const ops = stepOf<SvmDeferredWorkLocals>(reference, 'deferred_work', 'ops');

const notifierLeavesGpus = withSteps<SvmInvalidateLocals>(reference, 'invalidate', {
  unmap(env, l) {
    const s = env.s;
    const r = rangeById(s, l.tag);
    if (!r) throw new Error(`invalidate: svm_range ${l.tag} vanished while its lock was held`);
    const last = l.end - 1;
    bump(env, draining(l.pid), 1);
    const whole = l.start <= r.start && last >= r.last;
    // The bug: no svm_range_unmap_from_gpus here; the GPUs keep translating until the worker runs.
    for (const c of children(s, r.id)) unmapSplit(s, r, c, l.start, last);
    unmapSplit(s, r, r, l.start, last);
    emit(env, {
      e: 'svm-range',
      pid: l.pid,
      start: l.start,
      last,
      what: whole ? 'unmapped, to be freed' : 'split by munmap',
    });
    addListWork(env, r, whole ? 'unmap' : 'update');
    unlock(env, rangeLock(r.id));
    return ret(true);
  },
});

export const svmDeferredGpuUnmap: Driver = defineDriver(
  withSteps<SvmDeferredWorkLocals>(
    notifierLeavesGpus,
    'deferred_work',
    {
      ops(env, l, x) {
        // ... and the worker unmaps the freed ranges from the GPUs, long after the notifier returned.
        const r = rangeById(env.s, l.id);
        if (r)
          for (const c of [...children(env.s, r.id), r])
            if (c.op === 'unmap') unmapFromGpus(env, c, c.start, c.last);
        return ops(env, l, x);
      },
    },
    {
      name: 'svm-deferred-gpu-unmap',
      summary:
        'svm_range driver whose MMU_NOTIFY_UNMAP callback only queues the range; the deferred worker unmaps it from the GPUs',
      broken: {
        bug: 'the GPU still translates an unmapped VA after the unmap notifier returned, until the deferred worker runs (the pages may be reused meanwhile)',
        fix: 'kfd_svm.c svm_range_unmap_from_cpu: svm_range_unmap_from_gpus runs synchronously in the notifier',
        expects: 'coherence',
        layer: 'svm_range',
        scenario: [
          'GPU maps a range; munmap runs the UNMAP notifier',
          'the GPU unmap waits for the deferred worker: the GPU keeps translating the unmapped VA',
        ],
      },
    },
  ),
);
