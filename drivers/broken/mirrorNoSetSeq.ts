// The mirror whose invalidate callback never moves the interval sequence: one step of the public override API.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuZap } from '../../model/gpu.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { ret } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorInvalidateLocals } from '../mirror/mirrorInvalidate.js';
import { mirrorLock } from '../mirror/mirrorLock.js';

export const mirrorNoSetSeq: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      start(env, l) {
        const b = lockOrBlock(env, mirrorLock(l.tag), 'w');
        if (b) return b;
        // The bug: no mmu_interval_set_seq(), so a racing fault's read_retry sees nothing.
        gpuZap(env, l.tag, l.pid, l.start, l.end);
        unlock(env, mirrorLock(l.tag));
        return ret(true);
      },
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
