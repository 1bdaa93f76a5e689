// The reference svm_range driver that hands out VRAM whose struct page is still referenced: a new
// BO may take any VRAM no BO reserves, and the copy re-initialises a page even while its old
// holder (do_swap_page) keeps a reference: svm_migrate_vma's 'newbo' and 'fill' steps are the
// reference's own helpers (svmNewBo, svmFillFromBo) given that allocator and no check.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { call } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { reference } from '../reference.js';
import { SVM_FILL_RULES, svmFillFromBo, svmNewBo, type SvmMigrateVmaLocals } from '../svm/svmMigrate.js';
import { svmStateView } from '../svm/svmState.js';

/** The bug's allocator: VRAM pages no BO reserves, whether or not their struct page is free. */
function unreservedSlots(s: State, gpu: number): number[] {
  const base = s.vramBase[gpu] ?? 0;
  const n = s.cfg.gpus[gpu]?.vram ?? 0;
  const taken = new Set(
    svmStateView(s)
      .bos.filter((b) => b.gpu === gpu && b.vram)
      .flatMap((b) => b.slots),
  );
  const out: number[] = [];
  for (let i = base; i < base + n; i++) if (!taken.has(i)) out.push(i);
  return out;
}

export const boReuseReferencedPage: Driver = defineDriver(
  withSteps<SvmMigrateVmaLocals>(
    reference,
    'svm_migrate_vma',
    {
      // The bug: a new BO may take any VRAM no BO reserves, whether or not its struct page is free.
      newbo: (env, l) => svmNewBo(env, l, unreservedSlots(env.s, l.gpu)),
      fill(env, l) {
        // The bug: no check that the page is really free before it starts a new life.
        svmFillFromBo(env, l, { ...SVM_FILL_RULES, mayReuse: () => true });
        return call('migrate_vma_pages', { mig: l.mig }, 'fin');
      },
    },
    {
      name: 'bo-reuse-referenced-page',
      summary:
        'reference svm_range driver that re-initialises VRAM pages still referenced from an earlier life (svm_migrate_get_vram_page)',
      broken: {
        bug: 'VRAM of a freed or evicted BO is handed to a new BO while a device page in it is still referenced (do_swap_page has not dropped its reference yet); the page is re-initialised under the old holder',
        fix: 'drm/amdkfd: Fix svm_bo and vram page refcount (2025): a device page is reused only after it is really freed',
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          'a CPU fault holds a VRAM page (do_swap_page) while its data leaves and its BO gives the VRAM back',
          'a new migration re-initialises that page while the old reference is still held',
        ],
      },
    },
  ),
);
