import type { FindingOf, Invariant } from './invariant.js';

/** asleep: a task asleep on a removed notifier; dangling: a pointer to a freed object (Driver.refs). */
export type DriverObjectLifetimeFinding =
  | FindingOf<'asleep-on-removed-notifier', { agent: string; notifier: number }>
  | FindingOf<'dangling', { holder: string; target: string }>;

/**
 * KASAN-style lifetime of driver objects. The touches themselves are trapped where the model's
 * API is called (model/notifier.ts: read_begin, read_retry and set_seq on a removed
 * mmu_interval_notifier raise this invariant as a KernelBug, as KASAN reports at the access);
 * this check covers what is visible in the state after a step:
 * - a task still asleep on a notifier that has been removed (and may be freed) would be woken
 *   through freed memory;
 * - a pointer the driver's registrations, lists or objects still hold to one of its objects that
 *   was freed (Driver.refs: a registered notifier embedded in a freed svm_range, a freed range on
 *   the deferred list or a child's freed parent): its holder touches it the next time it is used,
 *   whatever the interleaving. A pointer is not an access, but nothing but the holder's removal
 *   stops that use, and the model's lookups by id would otherwise pass it by in silence.
 */
export const driverObjectLifetime: Invariant = {
  id: 'driver-object-lifetime',
  cls: 'memory-safety',
  meaning:
    'No driver object (mmu_interval_notifier, svm_range, drm_gpusvm notifier or range, drm_pagemap zdd, the range or mirror a notifier is embedded in) is touched after it was removed or freed: no read_begin, read_retry or set_seq on a removed notifier, no task asleep on one, and no registered notifier, work list, device page or object still pointing to a freed one.',
  // Sleepers' waits; Driver.refs reads the driver's objects, notifiers and device pages' zdd.
  reads: ['drv', 'notifiers', 'pages'],
  readsUnmarked: ['acts', 'acts.wait', 'acts.agent', 'pagesToFree'],
  check(s, _events, driver) {
    for (const a of s.acts) {
      const w = a.wait;
      if (!w || w.k !== 'notifier' || s.notifiers[w.id]?.alive !== false) continue;
      return {
        code: 'asleep-on-removed-notifier',
        at: { act: a.id },
        data: { agent: a.agent, notifier: w.id },
      } satisfies DriverObjectLifetimeFinding;
    }
    const dangling = driver.refs?.(s).find((r) => !r.live);
    if (dangling)
      return {
        code: 'dangling',
        at: {},
        data: { holder: dangling.holder, target: dangling.target },
      } satisfies DriverObjectLifetimeFinding;
    return null;
  },
};
