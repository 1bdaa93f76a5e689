import { match } from 'ts-pattern';
import type { DriverObjectLifetimeFinding } from '../../properties/driverObjectLifetime.js';
import type { Words } from '../../properties/invariant.js';

export function driverObjectLifetimeWords(f: DriverObjectLifetimeFinding): Words {
  return match(f)
    .with({ code: 'asleep-on-removed-notifier' }, ({ data: { agent, notifier } }) => ({
      expected: `no task waits on mmu_interval_notifier ${notifier} once it is removed`,
      actual: `${agent} sleeps in mmu_interval_read_begin on removed notifier ${notifier}`,
      message: `use-after-free: ${agent} waits on mmu_interval_notifier ${notifier} after mmu_interval_notifier_remove()`,
    }))
    .with({ code: 'dangling' }, ({ data: { holder, target } }) => ({
      expected: `nothing points to ${target} once it is freed`,
      actual: `${holder} still points to ${target}, which was freed`,
      message: `use-after-free: ${target} freed while ${holder} points to it`,
    }))
    .exhaustive();
}
