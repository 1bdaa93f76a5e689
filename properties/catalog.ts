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
import { krefAccounting } from './krefAccounting.js';
import { devicePageReinit } from './devicePageReinit.js';
import { noLeakAtExit } from './noLeakAtExit.js';
import { noRefToFreedBo } from './noRefToFreedBo.js';
import { vramAccounting } from './vramAccounting.js';
import { permittedAccessServed } from './permittedAccessServed.js';
import { gpuPteHonoursAttributes } from './gpuPteHonoursAttributes.js';
import { xnackOffMapped } from './xnackOffMapped.js';
import { xnackOffQueuesStopped } from './xnackOffQueuesStopped.js';
import { xnackOffRestoreFresh } from './xnackOffRestoreFresh.js';
import { noStaleFaultState } from './noStaleFaultState.js';
import { driverObjectLifetime } from './driverObjectLifetime.js';
import { deviceTeardown } from './deviceTeardown.js';
import { dmaFenceForwardProgress } from './fence/dmaFenceForwardProgress.js';
import { dmaFenceNoHmmDependency } from './fence/dmaFenceNoHmmDependency.js';
import { dmaFenceSignallingPath } from './fence/dmaFenceSignallingPath.js';
import { hmmDependencyWaitedBeforeLocks } from './fence/hmmDependencyWaitedBeforeLocks.js';
import { noHmmWaitInCriticalSection } from './fence/noHmmWaitInCriticalSection.js';
import { nonPreemptibleEngineFences } from './fence/nonPreemptibleEngineFences.js';

export const INVARIANTS: readonly Invariant[] = [
  noGpuPteAfterMunmap,
  // XNACK off: the restore's diagnosis before mirror-consistency's general one.
  xnackOffRestoreFresh,
  xnackOffQueuesStopped,
  mirrorConsistency,
  devicePageReinit,
  noPteToFreedPage,
  driverObjectLifetime,
  deviceTeardown,
  pageAccounting,
  noDataLoss,
  valueCoherence,
  setAttrAtomic,
  windowInRange,
  noStaleFaultState,
  rangeStructure,
  getAttrOracle,
  rangeMappedValid,
  xnackOffMapped,
  gpuPteHonoursAttributes,
  noRefToFreedBo,
  boRefcount,
  krefAccounting,
  vramAccounting,
  noLeakAtExit,
  permittedAccessServed,
  // The fence rules, the more specific before the more general.
  hmmDependencyWaitedBeforeLocks,
  noHmmWaitInCriticalSection,
  dmaFenceNoHmmDependency,
  nonPreemptibleEngineFences,
  dmaFenceSignallingPath,
  dmaFenceForwardProgress,
];

/** Failures the executor itself detects, with their meanings. */
export const RUN_FAILURES = {
  'no-deadlock': {
    cls: 'deadlock',
    meaning: 'Whenever work remains, some activity can run: no set of activities waits on itself.',
  },
  'no-potential-deadlock': {
    cls: 'deadlock',
    meaning:
      'Lock classes, fence signalling and the sections that wait on fences are always entered in one order: the dependency graph lockdep would record has no cycle (Documentation/locking/lockdep-design.rst).',
  },
  'forward-progress': {
    cls: 'progress',
    meaning:
      'Under a weakly fair schedule every operation completes: no reachable loop of states, in which every activity runnable throughout runs, leaves work pending forever (a livelock is a lasso).',
  },
  'no-lockup': {
    cls: 'progress',
    meaning:
      'Whatever the preemption model, pending work gets a CPU: no task keeps a CPU in a loop without a preemption point while the work it waits for can run only there (soft lockup, hung task).',
  },
  'kernel-oops': {
    cls: 'memory-safety',
    meaning:
      'No step hits a kernel BUG: refcount underflow, put_page of a free page, unlocking a lock not held.',
  },
} as const;
