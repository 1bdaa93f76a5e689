// The mirror whose -EBUSY retry calls hmm_range_fault() again with the old sequence: its 'busy'
// step (hmm_range_fault said -EBUSY) retries at a step of its own, 'refault', the mirror's
// mirrorRangeFault without the mmu_interval_read_begin() that 'begin' does first.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { count, spinTo } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import { mirrorRangeFault, type MirrorFaultLocals } from '../mirror/mirrorGpuFault.js';

/** Retries hmm_range_fault on -EBUSY with the sequence it read before the loop: a livelock. */
export const mirrorStaleSeqRetry: Driver = defineDriver(
  withSteps<MirrorFaultLocals>(
    mirror,
    'gpu_fault',
    {
      busy(env) {
        count(env, 'hmm_range_fault -EBUSY');
        // The bug: retry with the sequence read before, not a new mmu_interval_read_begin().
        return spinTo('refault');
      },
      refault: mirrorRangeFault,
    },
    {
      name: 'mirror-stale-seq-retry',
      summary:
        'reference mirror whose -EBUSY retry calls hmm_range_fault() again without a new mmu_interval_read_begin()',
      broken: {
        bug: 'after one invalidation the notifier sequence never matches again: hmm_range_fault() returns -EBUSY forever and the GPU fault never completes',
        fix: 'take a new sequence with mmu_interval_read_begin() on every retry, as the loop in Documentation/mm/hmm.rst ("Address space mirroring implementation and API") does: "again: range.notifier_seq = mmu_interval_read_begin(...)"',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault reads the notifier sequence, then an invalidation (munmap, COW, migration) bumps it',
          'hmm_range_fault() sees the stale sequence and returns -EBUSY; the driver retries with the same one, forever',
        ],
      },
    },
  ),
);
