import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const boDoubleUnrefSplit: Driver = {
  ...makeSvmDriver(
    'bo-double-unref-split',
    'reference svm_range driver with one VRAM BO refcounting bug: doubleUnrefSplit',
    { doubleUnrefSplit: true },
  ),
  broken: {
    bug: 'splitting a range shares its VRAM node without taking a reference, so both pieces drop one later',
    fix: 'kfd_svm.c svm_range_split_nodes: new->svm_bo = svm_range_bo_ref(old->svm_bo)',
    expects: 'refcount',
    layer: 'vram-bo',
    scenario: [
      'a range holding a BO node is split by a partial munmap',
      'the new piece shares the node without a reference; both pieces drop one later',
    ],
  },
};
