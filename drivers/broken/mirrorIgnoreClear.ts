// The mirror whose invalidate callback ignores MMU_NOTIFY_CLEAR: the mirror's 'zap' step, run for
// every other event.
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorInvalidateLocals } from '../mirror/mirrorInvalidate.js';

const zap = stepOf<MirrorInvalidateLocals>(mirror, 'invalidate', 'zap');

export const mirrorIgnoreClear: Driver = defineDriver(
  withSteps<MirrorInvalidateLocals>(
    mirror,
    'invalidate',
    {
      // The bug: MMU_NOTIFY_CLEAR (COW break, MADV_DONTNEED) is ignored.
      zap: (env, l, r) => (l.event === 'clear' ? goto('done') : zap(env, l, r)),
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
