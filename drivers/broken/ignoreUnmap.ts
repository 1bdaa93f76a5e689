// The mirror whose invalidate callback skips the zap for MMU_NOTIFY_UNMAP: the mirror's 'zap' step,
// run for every other event.
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorInvalidateLocals } from '../mirror/mirrorInvalidate.js';

const zap = stepOf<MirrorInvalidateLocals>(mirror, 'invalidate', 'zap');

/** Treats MMU_NOTIFY_UNMAP as nothing to do: the mirror keeps translating an unmapped VA. */
export const ignoreUnmap: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      // The bug: an MMU_NOTIFY_UNMAP is taken for nothing to do.
      zap: (env, l, r) => (l.event === 'unmap' ? goto('done') : zap(env, l, r)),
    },
    {
      name: 'ignore-unmap',
      summary: 'reference mirror whose invalidate callback does not zap GPU PTEs on MMU_NOTIFY_UNMAP',
      broken: {
        bug: 'GPU PTEs survive munmap: the invalidate callback bumps the sequence but leaves the mirror intact for unmap events',
        fix: 'drivers must zap the mirror for every blockable invalidation (kfd svm_range_unmap_from_cpu, nouveau_svmm_invalidate)',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'GPU faults a page in; munmap runs the UNMAP notifier',
          'the callback bumps the sequence but zaps nothing: the GPU still translates the unmapped VA',
        ],
      },
    },
  ),
);
