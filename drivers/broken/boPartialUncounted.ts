// The reference svm_range driver whose pages take a BO reference only when a migration fills the
// whole BO: svm_migrate_vma's 'fill' step (svm_migrate_copy_to_vram) is the reference's
// svmFillFromBo with that reference rule.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { call } from '../../model/proc.js';
import { reference } from '../reference.js';
import { SVM_FILL_RULES, svmFillFromBo, type SvmMigrateVmaLocals } from '../svm/svmMigrate.js';

export const boPartialUncounted: Driver = defineDriver(
  withSteps<SvmMigrateVmaLocals>(
    reference,
    'svm_migrate_vma',
    {
      fill(env, l) {
        // The bug: svm_migrate_get_vram_page's reference only when every page of the BO migrates.
        svmFillFromBo(env, l, { ...SVM_FILL_RULES, pageRef: (full) => full });
        return call('migrate_vma_pages', { mig: l.mig }, 'fin');
      },
    },
    {
      name: 'bo-partial-uncounted',
      summary:
        'reference svm_range driver whose VRAM pages take a BO reference only when the migration fills the whole BO',
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
    },
  ),
);
