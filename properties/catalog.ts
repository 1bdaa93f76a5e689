// Every state invariant, in the order they are checked: when one step breaks several, the most
// specific diagnosis is reported first.
import type { Invariant } from './invariant.js';
import { mirrorConsistency } from './mirrorConsistency.js';
import { noDataLoss } from './noDataLoss.js';
import { noGpuPteAfterMunmap } from './noGpuPteAfterMunmap.js';
import { noPteToFreedPage } from './noPteToFreedPage.js';
import { pageAccounting } from './pageAccounting.js';
import { valueCoherence } from './valueCoherence.js';
import { getAttrOracle } from './getAttrOracle.js';
import { rangeMappedValid } from './rangeMappedValid.js';
import { rangeStructure } from './rangeStructure.js';
import { setAttrAtomic } from './setAttrAtomic.js';
import { windowInRange } from './windowInRange.js';
import { boRefcount } from './boRefcount.js';
import { devicePageReinit } from './devicePageReinit.js';
import { noLeakAtExit } from './noLeakAtExit.js';
import { noRefToFreedBo } from './noRefToFreedBo.js';
import { vramAccounting } from './vramAccounting.js';

export const INVARIANTS: readonly Invariant[] = [
  noGpuPteAfterMunmap,
  mirrorConsistency,
  devicePageReinit,
  noPteToFreedPage,
  pageAccounting,
  noDataLoss,
  valueCoherence,
  setAttrAtomic,
  windowInRange,
  rangeStructure,
  getAttrOracle,
  rangeMappedValid,
  noRefToFreedBo,
  boRefcount,
  vramAccounting,
  noLeakAtExit,
];

/** Failures the executor itself detects, with their meanings. */
export const RUN_FAILURES = {
  'no-deadlock': {
    cls: 'progress',
    meaning: 'Whenever work remains, some activity can run.',
  },
  'forward-progress': {
    cls: 'progress',
    meaning: 'Every program finishes within a bounded number of scheduler steps (no livelock).',
  },
  'kernel-oops': {
    cls: 'memory-safety',
    meaning:
      'No step hits a kernel BUG: refcount underflow, put_page of a free page, unlocking a lock not held.',
  },
} as const;
