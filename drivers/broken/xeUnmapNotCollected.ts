// xe whose notifier callback marks an unmapped range but never queues it for the garbage collector:
// its invalidate 'gc_add' step replaced (withSteps); the rest of the callback is xe's own.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';

export const xeUnmapNotCollected: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      // The bug: the range is not added to the garbage collector.
      gc_add: () => goto('done'),
    },
    {
      name: 'xe-unmap-not-collected',
      summary: 'xe whose notifier marks unmapped ranges but never queues them for the garbage collector',
      broken: {
        bug: 'an unmapped range is never removed: a new mapping at the same address finds it, get_pages fails -EFAULT on its unmapped flag, and the fault handler retries forever',
        fix: 'drm_gpusvm.c DOC: Overview, Garbage collector: "Ranges are expected to be added to the garbage collector upon a MMU_NOTIFY_UNMAP event in notifier callback"',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault creates a range; munmap unmaps it and the notifier marks it unmapped without queuing it',
          'mmap at the same address and a GPU fault there: the stale range is found again and again',
        ],
      },
    },
  ),
);
