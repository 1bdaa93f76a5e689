import type { Invariant } from './invariant.js';

/**
 * KASAN-style lifetime of driver objects. The touches themselves are trapped where the model's
 * API is called (model/notifier.ts: read_begin, read_retry and set_seq on a removed
 * mmu_interval_notifier raise this invariant as a KernelBug, as KASAN reports at the access);
 * this check covers what is visible in the state after a step: a task still asleep on a notifier
 * that has been removed (and may be freed) would be woken through freed memory.
 */
export const driverObjectLifetime: Invariant = {
  id: 'driver-object-lifetime',
  cls: 'memory-safety',
  meaning:
    'No driver object (mmu_interval_notifier, the range or mirror it is embedded in) is touched after it was removed or freed: no read_begin, read_retry or set_seq on a removed notifier, and no task asleep on one.',
  check(s) {
    for (const a of s.acts) {
      const w = a.wait;
      if (!w || w.k !== 'notifier' || s.notifiers[w.id]?.alive !== false) continue;
      return {
        expected: `no task waits on mmu_interval_notifier ${w.id} once it is removed`,
        actual: `${a.agent} sleeps in mmu_interval_read_begin on removed notifier ${w.id}`,
        message: `use-after-free: ${a.agent} waits on mmu_interval_notifier ${w.id} after mmu_interval_notifier_remove()`,
      };
    }
    return null;
  },
};
