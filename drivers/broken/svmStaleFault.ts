import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

/** Restores retry faults that were queued before a munmap, without draining or svm_range_skip_recover. */
export const svmStaleFault: Driver = {
  ...makeSvmDriver(
    'svm-stale-fault',
    'svm_range driver that handles a retry fault still in the IH ring after munmap: no drain_pagefaults, no skip_recover',
    { noDrain: true },
  ),
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
};
