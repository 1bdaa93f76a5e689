import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

/** Splits overlapping ranges at the request's boundaries before validating it, and keeps them on error. */
export const svmHalfSplit: Driver = {
  ...makeSvmDriver(
    'svm-half-split',
    'svm_range driver whose set_attr splits ranges before svm_range_is_valid and does not roll back',
    { splitBeforeValidate: true },
  ),
  broken: {
    bug: 'a set_attr rejected with -EFAULT/-EADDRINUSE leaves ranges half split: the transaction is not atomic',
    fix: 'drm/amdkfd: "svm_range_add: make update transactional" (clone + insert/remove lists in kfd_svm.c)',
    expects: 'range',
    layer: 'svm_range',
    scenario: [
      'set_attr over an existing range reaching past the VMA',
      "the range is split at the request's bounds before -EFAULT, and the split stays",
    ],
  },
};
