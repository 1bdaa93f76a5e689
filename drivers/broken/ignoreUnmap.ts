import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';

/** Treats MMU_NOTIFY_UNMAP as nothing to do: the mirror keeps translating an unmapped VA. */
export const ignoreUnmap: Driver = {
  ...makeMirrorDriver(
    'ignore-unmap',
    'reference mirror whose invalidate callback does not zap GPU PTEs on MMU_NOTIFY_UNMAP',
    { ignoreUnmap: true },
  ),
  broken: {
    bug: 'GPU PTEs survive munmap: the invalidate callback bumps the sequence but leaves the mirror intact for unmap events',
    fix: 'drivers must zap the mirror for every blockable invalidation (kfd svm_range_unmap_from_cpu, nouveau_svmm_invalidate)',
    expects: 'coherence',
    layer: 'hmm-mirror',
    scenario: [
      'GPU faults a page in; munmap runs the UNMAP notifier',
      'the callback bumps the sequence but zaps nothing: the GPU still translates the unmapped VA',
    ],
  },
};
