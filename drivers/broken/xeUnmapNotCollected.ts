// xe whose notifier callback marks an unmapped range but never queues it for the garbage collector:
// its invalidate 'start' step replaced (withSteps).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { ret } from '../../model/proc.js';
import { xe } from '../xe.js';
import type { XeInvalidateArgs } from '../xe/drmGpusvmNotifierInvalidate.js';
import { drmGpusvmUnmapPages } from '../xe/drmGpusvmUnmapPages.js';
import { notifierLock, xeState } from '../xe/xeState.js';

export const xeUnmapNotCollected: Driver = defineDriver(
  withSteps<XeInvalidateArgs>(
    xe,
    'invalidate',
    {
      start(env, l) {
        const lock = notifierLock(l.tag, l.pid);
        const b = lockOrBlock(env, lock, 'w');
        if (b) return b;
        setSeq(env.s, l.nid, l.seq);
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
          // The bug: the range is not added to the garbage collector.
        }
        unlock(env, lock);
        return ret(true);
      },
    },
    {
      name: 'xe-unmap-not-collected',
      summary: 'xe whose notifier marks unmapped ranges but never queues them for the garbage collector',
      broken: {
        bug: 'an unmapped range is never removed: a new mapping at the same address finds it, get_pages fails -EFAULT on its unmapped flag, and the fault handler retries forever',
        fix: 'drm_gpusvm.c DOC: Overview, Garbage collector: "Ranges are expected to be added to the garbage collector upon a MMU_NOTIFY_UNMAP event in notifier callback"',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault creates a range; munmap unmaps it and the notifier marks it unmapped without queuing it',
          'mmap at the same address and a GPU fault there: the stale range is found again and again',
        ],
      },
    },
  ),
);
