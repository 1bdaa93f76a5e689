import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

/** Retries hmm_range_fault on -EBUSY with the sequence it read before the loop: a livelock. */
export const mirrorStaleSeqRetry: Driver = {
  ...makeMirrorDriver(
    'mirror-stale-seq-retry',
    'reference mirror whose -EBUSY retry calls hmm_range_fault() again without a new mmu_interval_read_begin()',
    { staleSeqOnBusy: true },
  ),
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
};
