// What a predicted kernel failure (model/kernelFailure.ts) says, in the kernel's words: one
// exhaustive match, so a new code does not compile until it is worded here.
import { match } from 'ts-pattern';
import type { KernelFailure } from '../model/kernelFailure.js';

/** The failure in one line (what the kernel would print, or what it would hang on). */
export function kernelFailureWords(f: KernelFailure): string {
  return match(f)
    .with(
      { code: 'pgmap-ref-dead' },
      ({ data: d }) =>
        `zone_device_page_init(${d.page}) on gpu${d.gpu}, whose device memory is being torn down: percpu_ref_tryget_live(&pgmap->ref) failed (WARN)`,
    )
    .with(
      { code: 'migrate-to-ram-freed-page' },
      ({ data: d }) => `migrate_to_ram called on device page ${d.page} after it was freed`,
    )
    .with(
      { code: 'notifier-after-remove' },
      ({ data: d }) =>
        `use-after-free: ${d.fn}() on mmu_interval_notifier ${d.notifier} after mmu_interval_notifier_remove()`,
    )
    .with(
      { code: 'invalidate-end-without-start' },
      ({ data: d }) => `invalidate_range_end without start (pid ${d.pid})`,
    )
    .with({ code: 'unlock-never-taken' }, ({ data: d }) => `unlock(${d.lock}): lock was never taken`)
    .with(
      { code: 'unlock-not-held' },
      ({ data: d }) => `unlock(${d.lock}): activity ${d.act} does not hold it`,
    )
    .with(
      { code: 'downgrade-not-write-held' },
      ({ data: d }) => `downgrade_write(${d.lock}): not held for write`,
    )
    .with(
      { code: 'leave-section-not-in' },
      ({ data: d }) => `${d.agent} leaves section ${d.section} it is not in`,
    )
    .with({ code: 'get-page-free' }, ({ data: d }) => `get_page(${d.page}) on a free page`)
    .with({ code: 'put-page-free' }, ({ data: d }) => `put_page(${d.page}) on a free page`)
    .with({ code: 'put-page-underflow' }, ({ data: d }) => `put_page(${d.page}): refcount underflow`)
    .with(
      { code: 'bad-page-map' },
      ({ data: d }) => `BUG: Bad page map: pte of pid ${d.pid} vpn ${d.vpn} to free page ${d.page}`,
    )
    .with(
      { code: 'return-holding-locks' },
      ({ data: d }) => `${d.agent} finished '${d.fn}' still holding ${d.held.join(', ')}`,
    )
    .with(
      { code: 'soft-lockup' },
      ({ data: d }) =>
        `soft lockup: ${d.agent} makes no preemption point after ${d.transfers} transfers (a loop inside one step)`,
    )
    .with(
      { code: 'mm-lock-after-exit' },
      ({ data: d }) =>
        `use-after-free: ${d.fn} in a kworker takes mmap_lock of pid ${d.pid}'s mm after its last mmput() (exit_mmap tore it down)`,
    )
    .with(
      { code: 'mm-use-after-free' },
      ({ data: d }) =>
        `use-after-free: ${d.fn}() on the mm of pid ${d.pid} after its last mmput() (exit_mmap ${d.exitMmap})`,
    )
    .with(
      { code: 'mm-users-underflow' },
      ({ data: d }) => `${d.fn}() on the mm of pid ${d.pid} without a reference: mm_users underflow`,
    )
    .with(
      { code: 'bo-get-not-live' },
      ({ data: d }) => `kref_get on svm_range_bo ${d.bo} that is already ${d.state}`,
    )
    .with(
      { code: 'bo-put-not-live' },
      ({ data: d }) =>
        `kref_put on svm_range_bo ${d.bo} that is already ${d.state} (a reference dropped twice)`,
    )
    .with(
      { code: 'zdd-get-destroyed' },
      ({ data: d }) => `drm_pagemap_zdd_get: zdd ${d.zdd} used after it was destroyed`,
    )
    .with(
      { code: 'zdd-put-destroyed' },
      ({ data: d }) => `drm_pagemap_zdd_put: zdd ${d.zdd} put after it was destroyed (kref underflow)`,
    )
    .with({ code: 'zdd-missing' }, ({ data: d }) => `drm_pagemap_migrate_to_ram: page ${d.page} has no zdd`)
    .with(
      { code: 'pagemap-kref-dead' },
      ({ data: d }) =>
        `refcount_t: ${d.op} on drm_pagemap ${d.pagemap} whose kref is 0 or which is freed (use-after-free)`,
    )
    .with(
      { code: 'pagemap-cache-freed' },
      ({ data: d }) =>
        `drm_pagemap_shrinker_scan() takes cache->lock of GPU ${d.gpu}'s drm_pagemap_cache, freed by drm_pagemap_cache_fini() at device removal (use-after-free)`,
    )
    .with(
      { code: 'dmirror-release-hang' },
      ({ data: d }) =>
        `HMM_DMIRROR_RELEASE on device ${d.dev}: memunmap_pages() waits forever for ${d.left} device page(s) that dmirror_device_evict_chunk() could not migrate (a reference nothing accounts for: a device-exclusive entry's, or one a failed eviction leaked)`,
    )
    .with(
      { code: 'dmirror-kmap-device-private' },
      ({ data: d }) =>
        `BUG: unable to handle page fault in ${d.op}: mirror ${d.mirror} (device ${d.dev}) entry for page ${d.vpn} is a device-private struct page, which dmirror_do_fault() stored and kmap() cannot map`,
    )
    .with({ code: 'custom' }, ({ data: d }) => d.message)
    .exhaustive();
}
