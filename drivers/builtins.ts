// The drivers shipped with svmcheck, by name.
import type { Driver } from '../model/driver.js';
import { foreignDevicePage } from './broken/foreignDevicePage.js';
import { ignoreUnmap } from './broken/ignoreUnmap.js';
import { noReadRetry } from './broken/noReadRetry.js';
import { boDoubleUnrefSplit } from './broken/boDoubleUnrefSplit.js';
import { boEvictOneRange } from './broken/boEvictOneRange.js';
import { boLeakNode } from './broken/boLeakNode.js';
import { boPartialUncounted } from './broken/boPartialUncounted.js';
import { boReuseReferencedPage } from './broken/boReuseReferencedPage.js';
import { mirrorNoSetSeq } from './broken/mirrorNoSetSeq.js';
import { mirrorIgnoreClear } from './broken/mirrorIgnoreClear.js';
import { mirrorStaleSeqRetry } from './broken/mirrorStaleSeqRetry.js';
import { kfdCowOrphanSigbus } from './broken/kfdCowOrphanSigbus.js';
import { gpusvmMapPastRange } from './broken/gpusvmMapPastRange.js';
import { svmWritableByVma } from './broken/svmWritableByVma.js';
import { svmNoRecursionGuard } from './broken/svmNoRecursionGuard.js';
import { kernelSwapWithoutRef } from './broken/kernelSwapWithoutRef.js';
import { svmNoRetryCheck } from './broken/svmNoRetryCheck.js';
import { kfdLegacy } from './broken/kfdLegacy.js';
import { svmDeferredGpuUnmap } from './broken/svmDeferredGpuUnmap.js';
import { svmHalfSplit } from './broken/svmHalfSplit.js';
import { svmStaleFault } from './broken/svmStaleFault.js';
import { svmDeferredUnpinnedMm } from './broken/svmDeferredUnpinnedMm.js';
import { svmWindowUnclipped } from './broken/svmWindowUnclipped.js';
import { svmCowChildSigbus } from './broken/svmCowChildSigbus.js';
import { svmGpuRoIgnored } from './broken/svmGpuRoIgnored.js';
import { svmDrainMissesSoftRing } from './broken/svmDrainMissesSoftRing.js';
import { mirrorFreeOnUnmap } from './broken/mirrorFreeOnUnmap.js';
import { svmFlushBusyWait } from './broken/svmFlushBusyWait.js';
import { svmFreeKeepsNotifier } from './broken/svmFreeKeepsNotifier.js';
import { mirrorUnbindKeepsGpuPtes } from './broken/mirrorUnbindKeepsGpuPtes.js';
import { kfdSvmsLockUnderFolioLock } from './broken/kfdSvmsLockUnderFolioLock.js';
import { kfdEvictNoQuiesce } from './broken/kfdEvictNoQuiesce.js';
import { kfdSetAttrNoMap } from './broken/kfdSetAttrNoMap.js';
import { kfdFaultingTaskLivelock } from './broken/kfdFaultingTaskLivelock.js';
import { gpusvm } from './gpusvm.js';
import { xe } from './xe.js';
import { xeP2p } from './xeP2p.js';
import { xeBindWithoutPagesValid } from './broken/xeBindWithoutPagesValid.js';
import { xeInvalidateKeepsPages } from './broken/xeInvalidateKeepsPages.js';
import { xeUnmapNotCollected } from './broken/xeUnmapNotCollected.js';
import { xeZddPageWithoutRef } from './broken/xeZddPageWithoutRef.js';
import { xePopulateIgnoresUnbind } from './broken/xePopulateIgnoresUnbind.js';
import { xeGetPagesNoRetryCheck } from './broken/xeGetPagesNoRetryCheck.js';
import { xeNoSetSeq } from './broken/xeNoSetSeq.js';
import { xeFaultSkipsGarbageCollector } from './broken/xeFaultSkipsGarbageCollector.js';
import { xeAtomicWithoutDevmemOnly } from './broken/xeAtomicWithoutDevmemOnly.js';
import { xeZddWithoutPagemapRef } from './broken/xeZddWithoutPagemapRef.js';
import { xeMadviseKeepsPagemapRef } from './broken/xeMadviseKeepsPagemapRef.js';
import { xeFileReleaseKeepsPagemaps } from './broken/xeFileReleaseKeepsPagemaps.js';
import { mirror } from './mirror.js';
import { FENCE_POLICIES } from './policies/fencePolicies.js';
import { reference } from './reference.js';
import { kfd } from './kfd.js';

export const BUILTIN_DRIVERS: readonly Driver[] = [
  reference,
  kfd,
  mirror,
  gpusvm,
  xe,
  xeP2p,
  noReadRetry,
  ignoreUnmap,
  foreignDevicePage,
  kfdLegacy,
  svmStaleFault,
  svmDeferredUnpinnedMm,
  svmHalfSplit,
  svmWindowUnclipped,
  svmDeferredGpuUnmap,
  boReuseReferencedPage,
  boDoubleUnrefSplit,
  boPartialUncounted,
  boEvictOneRange,
  boLeakNode,
  mirrorNoSetSeq,
  mirrorIgnoreClear,
  mirrorStaleSeqRetry,
  kfdCowOrphanSigbus,
  gpusvmMapPastRange,
  svmWritableByVma,
  svmNoRecursionGuard,
  kernelSwapWithoutRef,
  svmNoRetryCheck,
  svmCowChildSigbus,
  svmGpuRoIgnored,
  svmDrainMissesSoftRing,
  mirrorFreeOnUnmap,
  svmFlushBusyWait,
  svmFreeKeepsNotifier,
  mirrorUnbindKeepsGpuPtes,
  xeBindWithoutPagesValid,
  xeInvalidateKeepsPages,
  xeUnmapNotCollected,
  xeZddPageWithoutRef,
  xePopulateIgnoresUnbind,
  xeGetPagesNoRetryCheck,
  xeNoSetSeq,
  xeFaultSkipsGarbageCollector,
  xeAtomicWithoutDevmemOnly,
  xeZddWithoutPagemapRef,
  xeMadviseKeepsPagemapRef,
  xeFileReleaseKeepsPagemaps,
  kfdSvmsLockUnderFolioLock,
  kfdEvictNoQuiesce,
  kfdSetAttrNoMap,
  kfdFaultingTaskLivelock,
  ...FENCE_POLICIES,
];

export function builtinDriver(name: string): Driver | undefined {
  return BUILTIN_DRIVERS.find((d) => d.name === name);
}
