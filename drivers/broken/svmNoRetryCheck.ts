// The reference svm_range driver whose validate_and_map commits without mmu_interval_read_retry():
// its 'retry' step (amdgpu_hmm_range_get_pages_done under the range lock) goes straight on.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { reference } from '../reference.js';
import type { SvmMapLocals } from '../svm/svmMap.js';

export const svmNoRetryCheck: Driver = defineDriver(
  withSteps<SvmMapLocals>(
    reference,
    'validate_and_map',
    {
      // The bug: no amdgpu_hmm_range_get_pages_done() (mmu_interval_read_retry) under the lock.
      retry: () => goto('split'),
    },
    {
      name: 'svm-no-retry-check',
      summary: 'svm_range driver whose validate_and_map skips amdgpu_hmm_range_get_pages_done()',
      broken: {
        bug: 'GPU PTEs are written from hmm_range_fault pages that an invalidation replaced between the snapshot and the range lock',
        fix: 'kfd_svm.c svm_range_validate_and_map step 4-b: amdgpu_hmm_range_get_pages_done() (mmu_interval_read_retry) under svm_range_lock',
        expects: 'coherence',
        layer: 'svm_range',
        scenario: [
          'a GPU fault snapshots a window with hmm_range_fault and is preempted before the range lock',
          'a CPU write breaks COW, or a migration moves the page, and the stale pfn is mapped anyway',
        ],
      },
    },
  ),
);
