// The reference svm_range driver whose pages take a BO reference only when a migration fills the
// whole BO: svm_migrate_vma's 'fill' step (svm_migrate_copy_to_vram) replaced (withSteps, the
// public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { migrationById } from '../../model/kernel/migrate.js';
import { initDevicePage } from '../../model/mem.js';
import { call, count } from '../../model/proc.js';
import { PAGES, mut } from '../../model/touched.js';
import { reference } from '../reference.js';
import { boById, boRef } from '../svm/svmBo.js';
import type { SvmMigrateVmaLocals } from '../svm/svmMigrate.js';

export const boPartialUncounted: Driver = defineDriver(
  withSteps<SvmMigrateVmaLocals>(
    reference,
    'svm_migrate_vma',
    {
      fill(env, l) {
        const s = env.s;
        const m = migrationById(s, l.mig);
        const bo = boById(s, l.bo);
        const full = m.src.every((x) => x.migrate);
        m.src.forEach((src, i) => {
          const page = bo && bo.state === 'live' && bo.vram ? bo.slots[i] : undefined;
          if (!src.migrate || page === undefined) return;
          const pg = s.phys[page];
          if (pg && !pg.free) return;
          if (pg && pg.zdd >= 0) count(env, 'VRAM page reused');
          initDevicePage(s, page, l.bo);
          // The bug: svm_migrate_get_vram_page's reference only when every page of the BO migrates.
          if (full) boRef(s, l.bo);
          const d = s.phys[page];
          if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
          m.dst[i] = page;
        });
        if (bo && !full && m.dst.some((x) => x >= 0)) count(env, 'partially filled BO');
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
