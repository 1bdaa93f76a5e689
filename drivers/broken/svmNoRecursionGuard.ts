import type { Driver } from '../../model/driver.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';

export const svmNoRecursionGuard: Driver = {
  ...makeSvmDriver(
    'svm-no-recursion-guard',
    'svm_range driver whose migrate_to_ram always takes svms->lock',
    { noRecursionGuard: true },
  ),
  broken: {
    bug: 'restore_pages holds svms->lock, its hmm_range_fault faults a page of another hive back to RAM, and migrate_to_ram blocks on the same lock',
    fix: 'drm/amdkfd: the svms->faulting_task recursion guard in svm_migrate_to_ram',
    expects: 'deadlock',
    layer: 'multi-gpu',
    scenario: [
      "pages of a range stay in another hive's VRAM (migration to the faulting GPU failed for them)",
      "validate_and_map's hmm_range_fault reaches migrate_to_ram, which waits for the svms lock its own caller holds",
    ],
  },
};
