// The mirror whose invalidate callback ignores MMU_NOTIFY_CLEAR: one step of the public override API.
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

export const mirrorIgnoreClear: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      start(env, l) {
        const b = lockOrBlock(env, mirrorLock(l.tag), 'w');
        if (b) return b;
        setSeq(env.s, l.nid, l.seq);
        // The bug: MMU_NOTIFY_CLEAR (COW break, MADV_DONTNEED) is ignored.
        if (l.event !== 'clear') gpuZap(env, l.tag, l.pid, l.start, l.end);
        unlock(env, mirrorLock(l.tag));
        return ret(true);
      },
    },
    {
      name: 'mirror-ignore-clear',
      summary: 'mirror whose invalidate callback ignores MMU_NOTIFY_CLEAR',
      broken: {
        bug: 'a COW break or MADV_DONTNEED replaces the page but the GPU keeps translating to the old one',
        fix: 'every blockable invalidation must zap the mirror (Documentation/mm/hmm.rst); COW breaks use MMU_NOTIFY_CLEAR (wp_page_copy)',
        expects: 'coherence',
        layer: 'fork-cow',
        scenario: [
          'fork makes a page COW; the GPU maps it read-only; the CPU writes and breaks COW',
          'the CLEAR notifier is ignored: the GPU reads the old page the child still owns',
        ],
      },
    },
  ),
);
