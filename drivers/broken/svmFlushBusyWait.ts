// set_attr waits for the deferred range work by polling instead of flush_work(). kfd's
// svm_range_list_lock_and_flush_work (kfd_svm.c, read at torvalds/linux 006ad514a50c) sleeps in
// flush_work(&svms->deferred_list_work); the work was queued by schedule_deferred_list_work() on
// system_wq, a per-CPU workqueue, so it runs only on the CPU whose munmap notifier queued it. A
// task that polls for the list to empty (cpu_relax(), no cond_resched()) on that CPU keeps it, and
// under PREEMPT_NONE or VOLUNTARY the work never runs: a soft lockup. PREEMPT_FULL preempts the
// poller and hides the bug, which is why it survives testing on a desktop kernel. The reference's
// set_attr with its 'flush' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { busyTo, goto } from '../../model/proc.js';
import { deferredCount } from '../svm/svmState.js';
import { reference } from '../reference.js';

export const svmFlushBusyWait: Driver = defineDriver({
  ...withSteps<{ pid: number }>(
    reference,
    'set_attr',
    {
      flush(env, l) {
        // while (!list_empty(&svms->deferred_range_list)) cpu_relax();
        if ((env.s.counters[deferredCount(l.pid)] ?? 0) !== 0) return busyTo('flush');
        return goto('mm');
      },
    },
    {
      name: 'svm-flush-busy-wait',
      summary:
        'svm_range driver whose set_attr polls for the deferred range work to finish instead of flush_work()',
      broken: {
        bug: 'set_attr spins on the CPU whose munmap queued the deferred work; the per-CPU work never runs there (PREEMPT_NONE / VOLUNTARY): soft lockup',
        fix: 'kfd_svm.c svm_range_list_lock_and_flush_work: sleep in flush_work(&svms->deferred_list_work), then recheck under mmap_write_lock',
        expects: 'progress',
        layer: 'svm_range',
        scenario: [
          'munmap of part of a range queues svm_range_deferred_list_work on the CPU it ran on',
          'set_attr on that CPU polls the deferred list without a preemption point; the work bound to the CPU cannot run',
        ],
      },
    },
  ),
  suite: 'cpus',
});
