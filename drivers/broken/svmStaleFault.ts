// The reference svm_range driver that restores retry faults still in the IH ring after a munmap:
// gpu_fault's 'drain' step (svms->drain_pagefaults) and 'recover' step (svm_range_skip_recover)
// replaced by ones that go on (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { reference } from '../reference.js';
import type { SvmFaultLocals } from '../svm/svmFault.js';

export const svmStaleFault: Driver = defineDriver(
  withSteps<SvmFaultLocals>(
    reference,
    'gpu_fault',
    {
      // The bug: no drain_pagefaults check, and a range being removed is restored like any other.
      drain: () => goto('mm'),
      recover: () => goto('check'),
    },
    {
      name: 'svm-stale-fault',
      summary:
        'svm_range driver that handles a retry fault still in the IH ring after munmap: no drain_pagefaults, no skip_recover',
      broken: {
        bug: 'a retry fault handled while munmap is still draining uses the svm_range being freed: it migrates and maps pages of a range that no longer exists',
        fix: 'drm/amdkfd: "drain retry fault to avoid stale fault" (svm_range_drain_retry_fault) and "svm_range_skip_recover"',
        expects: 'range',
        layer: 'svm_range',
        scenario: [
          'munmap queues the range for removal and sets drain_pagefaults; the VA is mapped again',
          'a retry fault handled before the drain migrates and maps pages of the dying range',
        ],
      },
    },
  ),
);
