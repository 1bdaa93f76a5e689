// xe whose notifier callback never calls mmu_interval_set_seq(): its invalidate 'start' step
// replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';
import { drmGpusvmUnmapPages } from '../xe/drmGpusvmUnmapPages.js';
import { notifierLock, xeState } from '../xe/xeState.js';

export const xeNoSetSeq: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      start(env, l) {
        const lock = notifierLock(l.tag, l.pid);
        const b = lockOrBlock(env, lock, 'w');
        if (b) return b;
        // The bug: no mmu_interval_set_seq(mni, cur_seq).
        const st = xeState(env.s);
        const unmap = l.event === 'unmap' || l.event === 'release';
        for (const r of st.ranges) {
          if (r.nid !== l.nid || r.start >= l.end || r.last < l.start) continue;
          if (!r.pages.unmapped && r.bound) {
            gpuZap(env, r.gpu, r.pid, r.start, r.last + 1);
            r.bound = false;
          }
          drmGpusvmUnmapPages(r);
          if (!unmap) continue;
          r.pages.unmapped = true;
          if (r.start < l.start || r.last >= l.end) r.pages.partialUnmap = true;
          if (!st.gc.includes(r.id)) st.gc.push(r.id);
        }
        unlock(env, lock);
        return ret(true);
      },
    },
    {
      name: 'xe-no-set-seq',
      summary: 'xe whose notifier callback does not set the interval sequence',
      broken: {
        bug: 'mmu_interval_read_retry() never sees the invalidation, so get_pages maps pfns snapshotted before it as valid, and the bind commits pages the CPU no longer maps there',
        fix: 'drm_gpusvm.c drm_gpusvm_notifier_invalidate(): "sets the MMU notifier sequence number and calls the driver invalidate vfunc under gpusvm->notifier_lock"',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault snapshots a range with hmm_range_fault; the CPU changes a page and the notifier runs without mmu_interval_set_seq',
          'get_pages finds the sequence unchanged and maps the stale pfns',
        ],
      },
    },
  ),
);
