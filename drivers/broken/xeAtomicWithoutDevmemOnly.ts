// xe whose GPU fault handler takes an atomic fault like a write: devmem_only never set, so a range
// in system memory is bound as it is. Its gpu_fault 'start' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { goto } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeFaultLocals } from '../xe/xeHandlePagefault.js';
import { vmLock } from '../xe/xeState.js';

export const xeAtomicWithoutDevmemOnly: Driver = defineDriver(
  withSteps<XeFaultLocals>(
    xe,
    'gpu_fault',
    {
      start(env, l) {
        const b = lockOrBlock(env, vmLock(l.gpu, l.pid), 'w');
        if (b) return b;
        // The bug: the atomic bit is ignored, the context is a write fault's.
        l.devmemOnly = false;
        l.timeslice = 0;
        l.migrateTries = 1;
        l.err = 0;
        return goto('retry');
      },
    },
    {
      name: 'xe-atomic-without-devmem-only',
      summary:
        "xe whose fault handler serves a GPU atomic like a write, without drm_gpusvm_ctx's devmem_only",
      broken: {
        bug: 'an atomic fault on a range in system memory finds it bound (valid for a write) and returns; the PTE still has no atomic-enable bit, so the atomic faults again, for ever',
        fix: 'drm_gpusvm.h, struct drm_gpusvm_ctx: "@devmem_only: use only device memory", set for a fault that needs device memory (xe_svm_handle_pagefault\'s @atomic); drm_pagemap_migrate_to_devmem\'s @timeslice_ms keeps the pages there',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'madvise prefers system memory for a range; a GPU atomic faults on it',
          'the handler binds the system pages without the atomic bit and returns; the atomic faults again forever',
        ],
      },
    },
  ),
);
