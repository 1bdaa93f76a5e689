import type { Driver } from '../../model/driver.js';
import { makeFenceDriver } from './makeFenceDriver.js';

/** The notifier takes the VM's dma_resv inside the notifier lock; the fault path takes them the other way round. */
export const resvInversion: Driver = {
  ...makeFenceDriver(
    'fence-resv-inversion',
    "fence policy whose MMU notifier updates page tables under the VM's dma_resv, taken inside the notifier lock",
    { notifierTakesResv: true },
  ),
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
};
