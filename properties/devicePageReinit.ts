import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

export type DevicePageReinitFinding = FindingOf<'still-referenced', { page: PageRef }>;

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
      code: 'still-referenced',
      at: { page },
      data: { page: pageRef(s, page) },
    } satisfies DevicePageReinitFinding;
  },
};
