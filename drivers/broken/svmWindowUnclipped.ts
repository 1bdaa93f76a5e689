import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

/** Uses the aligned granularity block as the fault's migration window without clipping it to the range. */
export const svmWindowUnclipped: Driver = {
  ...makeSvmDriver(
    'svm-window-unclipped',
    'svm_range driver whose GPU-fault migration window is ALIGN_DOWN/ALIGN of the granularity, not clipped to the range',
    { windowNotClipped: true },
  ),
  broken: {
    bug: "the migration window of a fault reaches past its range (into a neighbour's pages or unmapped memory)",
    fix: 'kfd_svm.c svm_range_restore_pages: start = max(ALIGN_DOWN(addr, size), prange->start), last = min(ALIGN(addr + 1, size) - 1, prange->last)',
    expects: 'range',
    layer: 'svm_range',
    scenario: [
      'GPU fault on a small range inside a larger granularity block',
      'the migration window is the whole aligned block, reaching pages outside the range',
    ],
  },
};
