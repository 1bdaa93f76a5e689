import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

/**
 * The design seed 004 replaced: a range lives in one place (actual_loc) and migrates as a whole. A
 * design of the svm_range family (SvmDesign.actualLoc), not a one-step variant of the reference.
 */
export const kfdLegacy: Driver = {
  ...makeSvmDriver(
    'kfd-legacy',
    'svm_range with a single actual_loc per range: whole-range migration assumed complete, one PTE kind per range, CPU faults split ranges',
    { actualLoc: true },
  ),
  broken: {
    bug: 'after a migration that moved only some pages (busy, shmem or out of VRAM), the range is believed to be entirely in VRAM and every page is mapped as VRAM',
    fix: 'seed 004_78f2c797c44aa03c.txt: mixed GPU mappings, no actual_loc; drm/amdkfd: "support svm migration when cpages != npages"',
    expects: 'coherence',
    layer: 'mixed-mappings',
    scenario: [
      'GPU fault migrates a whole range to VRAM but some pages stay (busy, shmem, VRAM full)',
      'actual_loc says VRAM: every page is mapped as VRAM and the GPU reaches the wrong page',
    ],
  },
};
