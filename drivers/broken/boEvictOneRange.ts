import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const boEvictOneRange: Driver = {
  ...makeSvmDriver(
    'bo-evict-one-range',
    'reference svm_range driver with one VRAM BO refcounting bug: evictOneRange',
    { evictOneRange: true },
  ),
  broken: {
    bug: "eviction migrates only the pages of the range that needed the VRAM and frees the BO while other ranges' pages still live in it",
    fix: "seed 004: eviction must migrate all pages still using the BO, from the BO's own page list",
    expects: 'refcount',
    layer: 'vram-bo',
    scenario: [
      'two ranges keep pages in one BO; VRAM pressure evicts it',
      "only the triggering range's pages move, then the BO is freed under the other range's pages",
    ],
  },
};
