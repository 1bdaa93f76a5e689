import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const boPartialUncounted: Driver = {
  ...makeSvmDriver(
    'bo-partial-uncounted',
    'reference svm_range driver with one VRAM BO refcounting bug: partialBoUncounted',
    { partialBoUncounted: true },
  ),
  broken: {
    bug: 'pages of a partially filled BO take no reference on it, so the BO is freed while those pages still use it',
    fix: 'seed 004: one reference per page that uses the BO, dropped in page_free (svm_migrate_get_vram_page / svm_migrate_page_free)',
    expects: 'refcount',
    layer: 'vram-bo',
    scenario: [
      'a migration fills only part of a new BO',
      'its pages take no BO reference; page_free then drops references the BO never had',
    ],
  },
};
