// The mirror whose invalidate callback never moves the interval sequence: its 'seq' step does nothing.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorInvalidateLocals } from '../mirror/mirrorInvalidate.js';

export const mirrorNoSetSeq: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      // The bug: no mmu_interval_set_seq(), so a racing fault's read_retry sees nothing.
      seq: () => goto('zap'),
    },
    {
      name: 'mirror-no-set-seq',
      summary: 'mirror whose invalidate callback zaps but never calls mmu_interval_set_seq()',
      broken: {
        bug: 'the interval sequence never moves, so mmu_interval_read_retry() cannot see an invalidation that raced a fault',
        fix: 'include/linux/mmu_notifier.h: the invalidate callback must call mmu_interval_set_seq() under the driver lock',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault snapshots a page with hmm_range_fault; the CPU unmaps or COWs it before the driver lock',
          'read_retry still sees the old sequence and the stale pfn is mapped',
        ],
      },
    },
  ),
);
