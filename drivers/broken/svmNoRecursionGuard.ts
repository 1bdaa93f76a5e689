import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const svmNoRecursionGuard: Driver = {
  ...makeSvmDriver(
    'svm-no-recursion-guard',
    'svm_range driver whose migrate_to_ram always takes svms->lock',
    { noRecursionGuard: true },
  ),
  broken: {
    bug: 'restore_pages holds svms->lock while its hmm_range_fault faults a device page of the range back to RAM, and migrate_to_ram blocks on the same lock',
    fix: 'drm/amdkfd: the svms->faulting_task recursion guard in svm_migrate_to_ram',
    expects: 'deadlock',
    layer: 'multi-gpu',
    scenario: [
      "a page of the range is in VRAM that hmm_range_fault faults: another hive's, or the faulting GPU's own when it follows a missing page (mm/hmm.c hmm_vma_fault faults every page to the end of the walk)",
      "validate_and_map's hmm_range_fault reaches migrate_to_ram, which waits for the svms lock its own caller holds",
    ],
  },
};
