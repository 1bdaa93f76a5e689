import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

/** Programs GPU PTEs from a hmm_range_fault snapshot without checking that no invalidation ran since. */
export const noReadRetry: Driver = {
  ...makeMirrorDriver(
    'no-read-retry',
    'reference mirror that skips mmu_interval_read_retry() before programming GPU PTEs',
    { skipReadRetry: true },
  ),
  broken: {
    bug: 'GPU PTEs programmed from a stale hmm_range_fault snapshot: an invalidation that ran between the snapshot and the driver lock is missed',
    fix: 'the mmu_interval_read_begin/read_retry protocol of Documentation/mm/hmm.rst ("Address space mirroring implementation and API")',
    expects: 'coherence',
    layer: 'hmm-mirror',
    scenario: [
      'GPU fault takes a hmm_range_fault snapshot; munmap or exit invalidates before the driver lock',
      'the driver maps the stale pfn without mmu_interval_read_retry: the GPU reaches a freed page',
    ],
  },
};
