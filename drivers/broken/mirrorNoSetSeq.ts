import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

export const mirrorNoSetSeq: Driver = {
  ...makeMirrorDriver(
    'mirror-no-set-seq',
    'mirror whose invalidate callback zaps but never calls mmu_interval_set_seq()',
    { noSetSeq: true },
  ),
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
};
