import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

/** Leaves the GPU unmap of a munmap'ed range to the deferred worker instead of the notifier callback. */
export const svmDeferredGpuUnmap: Driver = {
  ...makeSvmDriver(
    'svm-deferred-gpu-unmap',
    'svm_range driver whose MMU_NOTIFY_UNMAP callback only queues the range; the deferred worker unmaps it from the GPUs',
    { deferGpuUnmap: true },
  ),
  broken: {
    bug: 'the GPU still translates an unmapped VA after the unmap notifier returned, until the deferred worker runs (the pages may be reused meanwhile)',
    fix: 'kfd_svm.c svm_range_unmap_from_cpu: svm_range_unmap_from_gpus runs synchronously in the notifier',
    expects: 'coherence',
    layer: 'svm_range',
    scenario: [
      'GPU maps a range; munmap runs the UNMAP notifier',
      'the GPU unmap waits for the deferred worker: the GPU keeps translating the unmapped VA',
    ],
  },
};
