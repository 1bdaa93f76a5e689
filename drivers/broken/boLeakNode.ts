// The reference svm_range driver whose svm_range_vram_node_free clears prange->svm_bo without
// dropping the node's BO reference, on the two paths that give a node back: svm_migrate_vma's
// 'node' step (svm_migrate_vram_to_ram, the range's last VRAM page gone) replaced, and
// deferred_work's 'ops' step (svm_range_free of an unmapped range) clearing the nodes before the
// reference's own runs (withSteps and stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { reference } from '../reference.js';
import { rangeHasVram } from '../svm/svmBo.js';
import { svmMigrateVmaDone, type SvmMigrateVmaLocals } from '../svm/svmMigrate.js';
import type { SvmDeferredWorkLocals } from '../svm/svmNotifier.js';
import { children, rangeById } from '../svm/svmState.js';

const ops = stepOf<SvmDeferredWorkLocals>(reference, 'deferred_work', 'ops');

const leaksOnMigration = withSteps<SvmMigrateVmaLocals>(reference, 'svm_migrate_vma', {
  node(env, l) {
    const range = rangeById(env.s, l.rid);
    // The bug: prange->svm_bo = NULL without svm_range_vram_node_free()'s svm_range_bo_unref().
    if (range && !rangeHasVram(env.s, range)) range.node = null;
    return svmMigrateVmaDone(env, l);
  },
});

export const boLeakNode: Driver = defineDriver(
  withSteps<SvmDeferredWorkLocals>(
    leaksOnMigration,
    'deferred_work',
    {
      ops(env, l, x) {
        // ... and the same when an unmapped range is freed.
        const r = rangeById(env.s, l.id);
        if (r) for (const c of [...children(env.s, r.id), r]) if (c.op === 'unmap') c.node = null;
        return ops(env, l, x);
      },
    },
    {
      name: 'bo-leak-node',
      summary:
        "reference svm_range driver that clears a range's VRAM node without dropping its BO reference (svm_range_vram_node_free)",
      broken: {
        bug: "when a range's last VRAM page leaves, the node pointer is cleared but its BO reference is never dropped",
        fix: 'kfd_migrate.c svm_migrate_vram_to_ram: svm_range_vram_node_free(prange) when vram_pages reaches 0',
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          "a range's last VRAM page migrates back to system memory",
          'the node pointer is cleared without dropping its BO reference: the BO outlives the process',
        ],
      },
    },
  ),
);
