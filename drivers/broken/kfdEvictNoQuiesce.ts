// kfd whose svm_range_evict (XNACK off) counts the eviction and queues restore_work but leaves the
// process's queues running: its invalidate 'quiesce' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { unlock } from '../../model/locks.js';
import { ret } from '../../model/proc.js';
import { kfd } from '../kfd.js';
import { queueRestoreWork } from '../kfd/kfdEvict.js';
import type { SvmInvalidateLocals } from '../svm/svmNotifier.js';
import { rangeLock } from '../svm/svmState.js';

export const kfdEvictNoQuiesce: Driver = defineDriver({
  ...withSteps<SvmInvalidateLocals>(
    kfd,
    'invalidate',
    {
      quiesce(env, l) {
        // The bug: no kgd2kfd_quiesce_mm() before the CPU changes the pages.
        queueRestoreWork(env, l.pid);
        unlock(env, rangeLock(l.tag));
        return ret(true);
      },
    },
    {
      name: 'kfd-evict-no-quiesce',
      summary: 'kfd (XNACK off) whose svm_range_evict does not stop the queues',
      broken: {
        bug: 'with XNACK off an invalidation leaves the GPU page tables as they are; without kgd2kfd_quiesce_mm the queues keep running on them while the CPU frees or moves the pages, until restore_work maps them again',
        fix: 'kfd_svm.c svm_range_evict(): "Stop all queues of the process to ensure GPU doesn\'t access the memory, then return to let CPU evict the buffer" (kgd2kfd_quiesce_mm on the first eviction; read at 006ad514a50c)',
        expects: 'coherence',
        layer: 'svm_range',
        scenario: [
          'XNACK off: set_attr maps a registered range on the GPU; MADV_DONTNEED or a migration invalidates it',
          'svm_range_evict counts the eviction and queues restore_work, but the queues run on the stale PTEs',
        ],
      },
    },
  ),
  // XNACK off is where svm_range_evict quiesces: the suite that registers ranges with XNACK off.
  suite: 'xnack-off',
});
