// xe whose bind does not recheck drm_gpusvm_range_pages_valid() under the notifier lock: its
// gpu_fault 'bind' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { pfnPage } from '../../model/kernel/hmm.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeFaultLocals } from '../xe/xeHandlePagefault.js';
import { notifierLock, rangeById, vmLock, xeState } from '../xe/xeState.js';

export const xeBindWithoutPagesValid: Driver = defineDriver(
  withSteps<XeFaultLocals>(
    xe,
    'gpu_fault',
    {
      bind(env, l) {
        const lock = notifierLock(l.gpu, l.pid);
        const b = lockOrBlock(env, lock, 'r');
        if (b) return b;
        const r = rangeById(xeState(env.s), l.rid);
        // The bug: no drm_gpusvm_range_pages_valid() before committing the binding.
        if (r) {
          r.pages.pfns.forEach((pfn, i) => {
            if (pfn >= 0) gpuMap(env, l.gpu, l.pid, r.start + i, pfnPage(pfn), !l.readOnly);
          });
          r.bound = true;
        }
        unlock(env, lock);
        unlock(env, vmLock(l.gpu, l.pid));
        return ret(0);
      },
    },
    {
      name: 'xe-bind-without-pages-valid',
      summary: 'xe whose bind does not recheck the pages are valid under the notifier lock',
      broken: {
        bug: 'a GPU binding is committed from dma addresses a notifier unmapped since get_pages returned: the GPU maps pages the CPU no longer maps at that address',
        fix: 'drm_gpusvm.c DOC: Locking: the driver rechecks drm_gpusvm_range_pages_valid() under the notifier lock when committing GPU bindings (DOC: Examples, driver_bind_range)',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault gets the pages of a range; before the bind, the CPU changes a page (COW, munmap, migration) and the notifier unmaps the pages',
          'the bind maps the stale dma addresses without checking pages_valid',
        ],
      },
    },
  ),
);
