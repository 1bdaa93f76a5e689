// Every built-in invariant's finding type, by invariant id: report/findingWords/index.ts must word
// each (a new invariant's findings do not compile until they have words).
import type { BoRefcountFinding } from './boRefcount.js';
import type { DevicePageReinitFinding } from './devicePageReinit.js';
import type { DeviceTeardownFinding } from './deviceTeardown.js';
import type { DriverObjectLifetimeFinding } from './driverObjectLifetime.js';
import type { DmaFenceForwardProgressFinding } from './fence/dmaFenceForwardProgress.js';
import type { DmaFenceNoHmmDependencyFinding } from './fence/dmaFenceNoHmmDependency.js';
import type { DmaFenceSignallingPathFinding } from './fence/dmaFenceSignallingPath.js';
import type { HmmDependencyWaitedBeforeLocksFinding } from './fence/hmmDependencyWaitedBeforeLocks.js';
import type { NoHmmWaitInCriticalSectionFinding } from './fence/noHmmWaitInCriticalSection.js';
import type { NonPreemptibleEngineFencesFinding } from './fence/nonPreemptibleEngineFences.js';
import type { GetAttrOracleFinding } from './getAttrOracle.js';
import type { GpuPteHonoursAttributesFinding } from './gpuPteHonoursAttributes.js';
import type { MirrorConsistencyFinding } from './mirrorConsistency.js';
import type { NoDataLossFinding } from './noDataLoss.js';
import type { NoGpuPteAfterMunmapFinding } from './noGpuPteAfterMunmap.js';
import type { KrefAccountingFinding } from './krefAccounting.js';
import type { NoLeakAtExitFinding } from './noLeakAtExit.js';
import type { NoPteToFreedPageFinding } from './noPteToFreedPage.js';
import type { NoRefToFreedBoFinding } from './noRefToFreedBo.js';
import type { NoStaleFaultStateFinding } from './noStaleFaultState.js';
import type { PageAccountingFinding } from './pageAccounting.js';
import type { PermittedAccessServedFinding } from './permittedAccessServed.js';
import type { RangeMappedValidFinding } from './rangeMappedValid.js';
import type { RangeStructureFinding } from './rangeStructure.js';
import type { SetAttrAtomicFinding } from './setAttrAtomic.js';
import type { ValueCoherenceFinding } from './valueCoherence.js';
import type { VramAccountingFinding } from './vramAccounting.js';
import type { WindowInRangeFinding } from './windowInRange.js';
import type { XnackOffMappedFinding } from './xnackOffMapped.js';
import type { XnackOffQueuesStoppedFinding } from './xnackOffQueuesStopped.js';
import type { XnackOffRestoreFreshFinding } from './xnackOffRestoreFresh.js';

export interface FindingsById {
  'mirror-consistency': MirrorConsistencyFinding;
  'no-data-loss': NoDataLossFinding;
  'no-gpu-pte-after-munmap': NoGpuPteAfterMunmapFinding;
  'no-pte-to-freed-page': NoPteToFreedPageFinding;
  'page-accounting': PageAccountingFinding;
  'value-coherence': ValueCoherenceFinding;
  'get-attr-oracle': GetAttrOracleFinding;
  'range-mapped-valid': RangeMappedValidFinding;
  'range-structure': RangeStructureFinding;
  'set-attr-atomic': SetAttrAtomicFinding;
  'window-in-range': WindowInRangeFinding;
  'bo-refcount': BoRefcountFinding;
  'kref-accounting': KrefAccountingFinding;
  'device-page-reinit': DevicePageReinitFinding;
  'no-leak-at-exit': NoLeakAtExitFinding;
  'no-ref-to-freed-bo': NoRefToFreedBoFinding;
  'vram-accounting': VramAccountingFinding;
  'permitted-access-served': PermittedAccessServedFinding;
  'gpu-pte-honours-attributes': GpuPteHonoursAttributesFinding;
  'xnack-off-mapped': XnackOffMappedFinding;
  'xnack-off-queues-stopped': XnackOffQueuesStoppedFinding;
  'xnack-off-restore-fresh': XnackOffRestoreFreshFinding;
  'no-stale-fault-state': NoStaleFaultStateFinding;
  'driver-object-lifetime': DriverObjectLifetimeFinding;
  'device-teardown': DeviceTeardownFinding;
  'dma-fence-forward-progress': DmaFenceForwardProgressFinding;
  'dma-fence-no-hmm-dependency': DmaFenceNoHmmDependencyFinding;
  'dma-fence-signalling-path': DmaFenceSignallingPathFinding;
  'hmm-dependency-waited-before-locks': HmmDependencyWaitedBeforeLocksFinding;
  'no-hmm-fence-wait-in-critical-section': NoHmmWaitInCriticalSectionFinding;
  'non-preemptible-engine-fences': NonPreemptibleEngineFencesFinding;
}

export type BuiltinInvariantId = keyof FindingsById;
