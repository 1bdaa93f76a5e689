// xe whose GPU fault handler does not run the garbage collector first: its gpu_fault 'retry' step
// replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeFaultLocals } from '../xe/xeHandlePagefault.js';

export const xeFaultSkipsGarbageCollector: Driver = defineDriver(
  withSteps<XeFaultLocals>(
    xe,
    'gpu_fault',
    {
      retry() {
        // The bug: the UNMAPs the notifier queued are not processed before the range lookup.
        return goto('find');
      },
    },
    {
      name: 'xe-fault-skips-garbage-collector',
      summary: 'xe whose fault handler looks ranges up without processing UNMAPs first',
      broken: {
        bug: 'the fault finds the unmapped range the garbage collector was to remove; get_pages fails -EFAULT on it, and the handler retries forever',
        fix: 'drm_gpusvm.c DOC: Examples, GPU page fault handler: "Always process UNMAPs first so view of GPU SVM ranges is current" (driver_garbage_collector before drm_gpusvm_range_find_or_insert)',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault creates a range; munmap queues it for the garbage collector',
          'mmap at the same address and a GPU fault there: the handler finds the stale range and retries forever',
        ],
      },
    },
  ),
);
