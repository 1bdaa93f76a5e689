// The fence policy whose MMU notifier updates the page tables under the VM's dma_resv, taken inside
// the notifier lock (the fault path takes them the other way round): invalidate's 'start' step goes
// to a 'resv' step of its own, and 'done' drops the dma_resv before the reference's own (withSteps
// and stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { stepOf } from '../../api/stepOf.js';
import { dmaResvLock, pdResv } from '../../model/fence/dmaResv.js';
import { unlock } from '../../model/locks.js';
import { block, goto } from '../../model/proc.js';
import { fenceReference } from './fenceReference.js';
import type { FenceInvalidateLocals } from './fenceInvalidate.js';

const start = stepOf<FenceInvalidateLocals>(fenceReference, 'invalidate', 'start');
const done = stepOf<FenceInvalidateLocals>(fenceReference, 'invalidate', 'done');

export const resvInversion: Driver = defineDriver(
  withSteps<FenceInvalidateLocals>(
    fenceReference,
    'invalidate',
    {
      start(env, l, r) {
        const next = start(env, l, r);
        // The bug: where the reference goes on to the unmap, the VM's reservation first, inside the
        // notifier lock.
        return next.k === 'goto' && next.pc === 'unmap' ? goto('resv') : next;
      },
      resv(env, l) {
        if (!dmaResvLock(env, pdResv(l.tag, l.pid)))
          return block({ k: 'lock', name: pdResv(l.tag, l.pid), mode: 'w' });
        return goto('unmap');
      },
      done(env, l, r) {
        unlock(env, pdResv(l.tag, l.pid));
        return done(env, l, r);
      },
    },
    {
      name: 'fence-resv-inversion',
      summary:
        "fence policy whose MMU notifier updates page tables under the VM's dma_resv, taken inside the notifier lock",
      broken: {
        bug: "lock-order inversion: the fault path holds the page-directory dma_resv and then takes the notifier lock, the notifier holds the notifier lock and then takes the dma_resv; it deadlocks only when a migration notifier runs inside the fault path's window",
        fix: 'the kfd order (svm_range_validate_and_map: reserve, hmm_range_fault, svm_range_lock) and a notifier that updates page tables without the reservation; dma_resv_lockdep() primes dma_resv before the notifier map',
        expects: 'deadlock',
        layer: 'fences-locks',
        scenario: [
          "a GPU fault reserves the VM's page directory, then takes the notifier lock",
          'a migration notifier takes the notifier lock, then the same reservation: lockdep sees the cycle',
        ],
      },
    },
  ),
);
