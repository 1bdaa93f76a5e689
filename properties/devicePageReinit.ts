import type { Invariant } from './invariant.js';
import { pageName } from './where.js';

export const devicePageReinit: Invariant = {
  id: 'device-page-reinit',
  cls: 'refcount',
  meaning:
    'A device page is re-initialised for a new migration only after it has really been freed (no reference left).',
  transition: true,
  // The pages this step re-initialised, and their struct pages for the message.
  reads: ['pages'],
  readsUnmarked: ['reinitialised'],
  check(s) {
    const page = s.reinitialised[0];
    if (page === undefined) return null;
    return {
      expected: `${pageName(s, page)} free before zone_device_page_init`,
      actual: 'it was still referenced (an old holder will put it later)',
      message: `zone_device_page_init on ${pageName(s, page)} while a reference to its previous life is still held`,
    };
  },
};
