import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

export const mirrorIgnoreClear: Driver = {
  ...makeMirrorDriver('mirror-ignore-clear', 'mirror whose invalidate callback ignores MMU_NOTIFY_CLEAR', {
    ignoreClear: true,
  }),
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
};
