// xe whose drm_gpusvm_get_pages() maps the pfns under the notifier lock without
// mmu_interval_read_retry(): its 'map' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeGetPagesLocals } from '../xe/drmGpusvmGetPages.js';
import { drmGpusvmMapPages } from '../xe/drmGpusvmMapPages.js';
import { notifierLock, rangeById, xeState } from '../xe/xeState.js';

export const xeGetPagesNoRetryCheck: Driver = defineDriver(
  withSteps<XeGetPagesLocals>(
    xe,
    'drm_gpusvm_get_pages',
    {
      map(env, l) {
        const lock = notifierLock(l.gpu, l.pid);
        const b = lockOrBlock(env, lock, 'r');
        if (b) return b;
        const r = rangeById(xeState(env.s), l.rid);
        if (!r || r.pages.unmapped) {
          unlock(env, lock);
          return ret('EFAULT');
        }
        // The bug: no mmu_interval_read_retry() against the sequence hmm_range_fault ran under.
        const err = drmGpusvmMapPages(env.s, r, l.pfns, l);
        unlock(env, lock);
        return ret(err ?? 0);
      },
    },
    {
      name: 'xe-get-pages-no-retry-check',
      summary: 'xe whose get_pages maps the pages without checking the notifier sequence',
      broken: {
        bug: 'pfns an invalidation made stale between hmm_range_fault() and the notifier lock are mapped and marked valid: the bind maps pages the CPU no longer maps there',
        fix: 'drm_gpusvm.c drm_gpusvm_get_pages(): "Perform all dma mappings under the notifier lock" after mmu_interval_read_retry() (Documentation/mm/hmm.rst, the driver->update lock of DOC: Locking)',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault runs hmm_range_fault over a range; before the notifier lock, the CPU changes a page',
          'get_pages maps the old pfns as valid and the bind commits them',
        ],
      },
    },
  ),
);
