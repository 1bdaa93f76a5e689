// The device-memory part of a driver's remove path, as test_hmm's dmirror_device_remove_chunks()
// (lib/test_hmm.c, 6.1) and drm_pagemap's eviction on device removal do it: every page still
// allocated on the GPU is migrated back to system memory with migrate_device_range() (each CPU
// mapping of it becomes a migration entry under an MMU_NOTIFY_CLEAR invalidation, then points at
// the copy), and the GPU's page tables go with the device. The kernel's device_unbind then calls
// memunmap_pages(), which waits for the last page reference. migrate_device_range() skips a page
// another migration holds locked (trylock_page()); that migration may fail and restore it in place,
// so the eviction is retried while a page of the device is still allocated, as drm_pagemap_evict_to_ram()
// retries (test_hmm 6.1 does not, and its memunmap_pages() then waits forever).
//
// Context: called by the kernel's device_unbind after drm_dev_unplug() (no fault or ioctl of the
// device runs any more); takes no driver lock. Returns 0.
import { gpuZap } from '../../model/gpu.js';
import { devmemInUse } from '../../model/kernel/deviceUnbind.js';
import { call, defineProc, reschedTo, ret } from '../../model/proc.js';

export const unbindDevmem = defineProc<{ gpu: number }>('unbind', {
  start(_env, l) {
    return call('migrate_device_range', { gpu: l.gpu }, 'evicted');
  },
  evicted(env, l) {
    const s = env.s;
    if (devmemInUse(s, l.gpu).length > 0) return reschedTo('start');
    for (let pid = 0; pid < s.procs.length; pid++) gpuZap(env, l.gpu, pid, 0, s.cfg.vaPages);
    return ret(0);
  },
});
