// xe whose notifier callback never calls mmu_interval_set_seq(): its invalidate 'set_seq' step
// replaced (withSteps); the rest of the callback is xe's own.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';

export const xeNoSetSeq: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      // The bug: no mmu_interval_set_seq(mni, cur_seq).
      set_seq: () => goto('zap'),
    },
    {
      name: 'xe-no-set-seq',
      summary: 'xe whose notifier callback does not set the interval sequence',
      broken: {
        bug: 'mmu_interval_read_retry() never sees the invalidation, so get_pages maps pfns snapshotted before it as valid, and the bind commits pages the CPU no longer maps there',
        fix: 'drm_gpusvm.c drm_gpusvm_notifier_invalidate(): "sets the MMU notifier sequence number and calls the driver invalidate vfunc under gpusvm->notifier_lock"',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault snapshots a range with hmm_range_fault; the CPU changes a page and the notifier runs without mmu_interval_set_seq',
          'get_pages finds the sequence unchanged and maps the stale pfns',
        ],
      },
    },
  ),
);
