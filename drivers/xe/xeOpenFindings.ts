// xe's open findings: upstream behaviour of xe_svm.c / drm_gpusvm.c the driver reproduces, each
// archived open (README's xe section) and recognised in a failed run by the invariant it breaks,
// the finding's code, the state the run failed in and the counters __xe_svm_handle_pagefault bumps
// (drivers/xe/xeHandlePagefault.ts). A violation none of them explains fails a soak.
import { vmaAt } from '../../model/mem.js';
import type { OpenFinding } from '../../model/openFinding.js';
import type { State } from '../../model/types.js';
import { writableDevicePrivatePte } from '../common/writableDevicePrivatePte.js';
import { xePagemapCacheFiniUaf } from './xePagemapCacheFiniUaf.js';
import { rangeById, xeView } from './xeState.js';

/** The counter of a fault retried after get_pages failed for a CPU mapping it may not take. */
const getPagesRetried = (err: string): string => `xe: get_pages -${err}, fault retried`;

/**
 * A GPU fault going round __xe_svm_handle_pagefault's retry on a range every page of which a VMA
 * still maps, some of them with less than read-write: the range an mprotect left partly read-only
 * or unreadable (a hole left by munmap is the garbage collector's business, not this finding).
 */
function retriesOnMprotectedRange(s: State): boolean {
  return s.acts.some((a) =>
    a.frames.some((fr) => {
      if (fr.fn !== 'drv:gpu_fault' || fr.pc !== 'retry' || typeof fr.l['rid'] !== 'number') return false;
      const r = rangeById(xeView(s), fr.l['rid']);
      if (!r) return false;
      let lessThanRw = false;
      for (let vpn = r.start; vpn <= r.last; vpn++) {
        const v = vmaAt(s, r.pid, vpn);
        if (!v) return false;
        if (v.prot !== 'rw') lessThanRw = true;
      }
      return lessThanRw;
    }),
  );
}

const retryCountExceeded = (stats: ReadonlyMap<string, number>): boolean =>
  [...stats.keys()].some((k) => k.startsWith('xe: devmem_only') && k.endsWith('retry count exceeded'));

export const XE_OPEN_FINDINGS: readonly OpenFinding[] = [
  {
    // The GPU PTE's write bit comes from the GPU VMA; hmm_range_fault reports the owner's
    // device-private page read-only after fork or mprotect without faulting it for write.
    case: 'xe-3a9ba535455c',
    invariant: 'mirror-consistency',
    explains: (f, s) => writableDevicePrivatePte(f, s, 'gpu-vma'),
  },
  {
    // drm_gpusvm_get_pages faults the whole range for write unless the GPU VMA is read-only; after a
    // partial mprotect it fails with -EPERM / -EFAULT and the fault goes back to retry for ever.
    case: 'xe-079bfd5cf6f7',
    invariant: 'forward-progress',
    explains: (f, s, stats) =>
      f.kind === 'livelock' &&
      (stats.has(getPagesRetried('EPERM')) || stats.has(getPagesRetried('EFAULT'))) &&
      retriesOnMprotectedRange(s),
  },
  {
    // An atomic fault (devmem_only) fails once its three migration attempts are spent.
    case: 'xe-51c9199c2e0f',
    invariant: 'permitted-access-served',
    explains: (f, _s, stats) =>
      f.code === 'gpu-fatal' && f.data?.['atomic'] === true && retryCountExceeded(stats),
  },
  // drm_pagemap_shrinker_add() frees a released pagemap after unplug under the cache's pointer,
  // which drm_pagemap_cache_fini() dereferences later in the removal.
  xePagemapCacheFiniUaf,
];
