// xe whose notifier callback zaps the GPU binding but does not unmap the range's pages
// (drm_gpusvm_range_unmap_pages): its invalidate 'start' step replaced (withSteps).
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
import { notifierLock, xeState } from '../xe/xeState.js';

export const xeInvalidateKeepsPages: Driver = defineDriver(
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
          // The bug: no drm_gpusvm_range_unmap_pages(): the pages stay "valid".
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
      name: 'xe-invalidate-keeps-pages',
      summary: 'xe whose notifier callback does not unmap the pages of the ranges it invalidates',
      broken: {
        bug: "the range's pages stay valid across an invalidation, so the next fault's get_pages reuses the old dma addresses and binds pages the CPU no longer maps there",
        fix: 'drm_gpusvm.c drm_gpusvm_range_unmap_pages(): "Must be called on each GPU SVM range attached to notifier in gpusvm->ops->invalidate" (DOC: Examples, 3) Notifier callback)',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU binds a range; the CPU changes a page of it (COW, MADV_DONTNEED, migration) and the notifier zaps the binding only',
          'the next GPU fault finds the pages valid, skips hmm_range_fault and binds the old pages',
        ],
      },
    },
  ),
);
