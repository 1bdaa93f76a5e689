// The message map (zod's error map): each built-in invariant's findings in words. Keyed by
// properties/findings.ts, so an invariant without words here does not compile.
import type { Finding, Words } from '../../properties/invariant.js';
import type { BuiltinInvariantId, FindingsById } from '../../properties/findings.js';
import { boRefcountWords } from './boRefcount.js';
import { devicePageReinitWords } from './devicePageReinit.js';
import { deviceTeardownWords } from './deviceTeardown.js';
import { driverObjectLifetimeWords } from './driverObjectLifetime.js';
import { dmaFenceForwardProgressWords } from './fence/dmaFenceForwardProgress.js';
import { dmaFenceNoHmmDependencyWords } from './fence/dmaFenceNoHmmDependency.js';
import { dmaFenceSignallingPathWords } from './fence/dmaFenceSignallingPath.js';
import { hmmDependencyWaitedBeforeLocksWords } from './fence/hmmDependencyWaitedBeforeLocks.js';
import { noHmmWaitInCriticalSectionWords } from './fence/noHmmWaitInCriticalSection.js';
import { nonPreemptibleEngineFencesWords } from './fence/nonPreemptibleEngineFences.js';
import { getAttrOracleWords } from './getAttrOracle.js';
import { gpuPteHonoursAttributesWords } from './gpuPteHonoursAttributes.js';
import { mirrorConsistencyWords } from './mirrorConsistency.js';
import { noDataLossWords } from './noDataLoss.js';
import { noGpuPteAfterMunmapWords } from './noGpuPteAfterMunmap.js';
import { krefAccountingWords } from './krefAccounting.js';
import { noLeakAtExitWords } from './noLeakAtExit.js';
import { noPteToFreedPageWords } from './noPteToFreedPage.js';
import { noRefToFreedBoWords } from './noRefToFreedBo.js';
import { noStaleFaultStateWords } from './noStaleFaultState.js';
import { pageAccountingWords } from './pageAccounting.js';
import { permittedAccessServedWords } from './permittedAccessServed.js';
import { rangeMappedValidWords } from './rangeMappedValid.js';
import { rangeStructureWords } from './rangeStructure.js';
import { setAttrAtomicWords } from './setAttrAtomic.js';
import { valueCoherenceWords } from './valueCoherence.js';
import { vramAccountingWords } from './vramAccounting.js';
import { windowInRangeWords } from './windowInRange.js';
import { xnackOffMappedWords } from './xnackOffMapped.js';
import { xnackOffQueuesStoppedWords } from './xnackOffQueuesStopped.js';
import { xnackOffRestoreFreshWords } from './xnackOffRestoreFresh.js';

type WordsOf = { [K in BuiltinInvariantId]: (f: FindingsById[K]) => Words };

export const FINDING_WORDS: WordsOf = {
  'mirror-consistency': mirrorConsistencyWords,
  'no-data-loss': noDataLossWords,
  'no-gpu-pte-after-munmap': noGpuPteAfterMunmapWords,
  'no-pte-to-freed-page': noPteToFreedPageWords,
  'page-accounting': pageAccountingWords,
  'value-coherence': valueCoherenceWords,
  'get-attr-oracle': getAttrOracleWords,
  'range-mapped-valid': rangeMappedValidWords,
  'range-structure': rangeStructureWords,
  'set-attr-atomic': setAttrAtomicWords,
  'window-in-range': windowInRangeWords,
  'bo-refcount': boRefcountWords,
  'kref-accounting': krefAccountingWords,
  'device-page-reinit': devicePageReinitWords,
  'no-leak-at-exit': noLeakAtExitWords,
  'no-ref-to-freed-bo': noRefToFreedBoWords,
  'vram-accounting': vramAccountingWords,
  'permitted-access-served': permittedAccessServedWords,
  'gpu-pte-honours-attributes': gpuPteHonoursAttributesWords,
  'xnack-off-mapped': xnackOffMappedWords,
  'xnack-off-queues-stopped': xnackOffQueuesStoppedWords,
  'xnack-off-restore-fresh': xnackOffRestoreFreshWords,
  'no-stale-fault-state': noStaleFaultStateWords,
  'driver-object-lifetime': driverObjectLifetimeWords,
  'device-teardown': deviceTeardownWords,
  'dma-fence-forward-progress': dmaFenceForwardProgressWords,
  'dma-fence-no-hmm-dependency': dmaFenceNoHmmDependencyWords,
  'dma-fence-signalling-path': dmaFenceSignallingPathWords,
  'hmm-dependency-waited-before-locks': hmmDependencyWaitedBeforeLocksWords,
  'no-hmm-fence-wait-in-critical-section': noHmmWaitInCriticalSectionWords,
  'non-preemptible-engine-fences': nonPreemptibleEngineFencesWords,
};

const isBuiltin = (id: string): id is BuiltinInvariantId => Object.hasOwn(FINDING_WORDS, id);

/**
 * Invariant `invariant`'s finding in words: a built-in's from its map entry; a user module's as
 * its module gave them; a structured finding no map words (a module's own code), as its code and
 * data, so that nothing found is ever silent.
 */
export function findingWords(invariant: string, f: Finding): Words {
  if ('message' in f) return { expected: f.expected, actual: f.actual, message: f.message };
  if (isBuiltin(invariant)) return (FINDING_WORDS[invariant] as (f: Finding) => Words)(f);
  return { expected: invariant, actual: JSON.stringify(f.data), message: `${invariant}: ${f.code}` };
}
