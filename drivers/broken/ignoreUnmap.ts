// The mirror whose invalidate callback skips the zap for MMU_NOTIFY_UNMAP: one step of the public override API.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuZap } from '../../model/gpu.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { setSeq } from '../../model/notifier.js';
import { ret } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorInvalidateLocals } from '../mirror/mirrorInvalidate.js';
import { mirrorLock } from '../mirror/mirrorLock.js';

/** Treats MMU_NOTIFY_UNMAP as nothing to do: the mirror keeps translating an unmapped VA. */
export const ignoreUnmap: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      start(env, l) {
        const b = lockOrBlock(env, mirrorLock(l.tag), 'w');
        if (b) return b;
        setSeq(env.s, l.nid, l.seq);
        // The bug: an MMU_NOTIFY_UNMAP is taken for nothing to do.
        if (l.event !== 'unmap') gpuZap(env, l.tag, l.pid, l.start, l.end);
        unlock(env, mirrorLock(l.tag));
        return ret(true);
      },
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
