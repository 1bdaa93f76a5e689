// What a predicted kernel failure (KernelBug, KernelOops) found, as data: one code per place the
// model or a built-in driver raises one, with the values report/kernelFailureWords.ts words it
// from. A user's driver that throws KernelBug with its own message gets the 'custom' code.
import type { FindingOf } from './finding.js';

export type KernelFailure =
  // model/devmem.ts: zone_device_page_init on a pgmap being torn down (percpu_ref_tryget_live fails).
  | FindingOf<'pgmap-ref-dead', { page: number; gpu: number }>
  // model/kernel/fault.ts: do_swap_page calls migrate_to_ram on a freed device page.
  | FindingOf<'migrate-to-ram-freed-page', { page: number }>
  // model/notifier.ts: read_begin/read_retry/set_seq on a removed mmu_interval_notifier.
  | FindingOf<'notifier-after-remove', { fn: string; notifier: number }>
  // model/notifier.ts: invalidate_range_end with no invalidate_range_start.
  | FindingOf<'invalidate-end-without-start', { pid: number }>
  // model/locks.ts
  | FindingOf<'unlock-never-taken', { lock: string }>
  | FindingOf<'unlock-not-held', { lock: string; act: number }>
  | FindingOf<'downgrade-not-write-held', { lock: string }>
  // model/lockdep/sections.ts
  | FindingOf<'leave-section-not-in', { agent: string; section: string }>
  // model/mem.ts
  | FindingOf<'get-page-free', { page: number }>
  | FindingOf<'put-page-free', { page: number }>
  | FindingOf<'put-page-underflow', { page: number }>
  | FindingOf<'bad-page-map', { pid: number; vpn: number; page: number }>
  // model/engine.ts: lockdep's "lock held when returning to user space!", and a soft lockup.
  | FindingOf<'return-holding-locks', { agent: string; fn: string; held: string[] }>
  | FindingOf<'soft-lockup', { agent: string; transfers: number }>
  // model/locks.ts: a kworker takes mmap_lock of an mm torn down (its last mmput ran exit_mmap).
  | FindingOf<'mm-lock-after-exit', { fn: string; pid: number }>
  // model/mmUsers.ts: mmget/mmput on an mm whose users reached 0, and an mmput with no reference.
  | FindingOf<'mm-use-after-free', { fn: string; pid: number; exitMmap: 'pending' | 'ran' }>
  | FindingOf<'mm-users-underflow', { fn: string; pid: number }>
  // drivers/svm/svmBo.ts: kref_get / kref_put on a BO no longer live.
  | FindingOf<'bo-get-not-live', { bo: number; state: string }>
  | FindingOf<'bo-put-not-live', { bo: number; state: string }>
  // drivers/xe/: drm_pagemap_zdd after destruction, a device page without one.
  | FindingOf<'zdd-get-destroyed', { zdd: number }>
  | FindingOf<'zdd-put-destroyed', { zdd: number }>
  | FindingOf<'zdd-missing', { page: number }>
  // drivers/xe/: kref_get/kref_put on a drm_pagemap whose kref is 0 or that is freed; the shrinker
  // scan taking the lock of a drm_pagemap_cache freed at device removal.
  | FindingOf<'pagemap-kref-dead', { op: string; pagemap: number }>
  | FindingOf<'pagemap-cache-freed', { gpu: number }>
  // drivers/dmirror/: memunmap_pages waiting forever, kmap of a device-private page.
  | FindingOf<'dmirror-release-hang', { dev: number; left: number }>
  | FindingOf<'dmirror-kmap-device-private', { op: string; mirror: number; dev: number; vpn: number }>
  // A user's driver (the public API): its own message.
  | FindingOf<'custom', { message: string }>;

export type KernelFailureCode = KernelFailure['code'];

/** A KernelBug/KernelOops argument: a finding, or (a user's driver) a message. */
export const kernelFailure = (f: KernelFailure | string): KernelFailure =>
  typeof f === 'string' ? { code: 'custom', at: {}, data: { message: f } } : f;

/** For an uncaught one (a stack trace, a log): the code and data, not words. */
export const kernelFailureTag = (f: KernelFailure): string =>
  f.code === 'custom' ? f.data.message : `${f.code} ${JSON.stringify(f.data)}`;
