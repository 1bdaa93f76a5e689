import type { Driver } from '../../model/driver.js';
import { mirror } from '../mirror.js';

/** The correct mirror driver, on a kernel whose do_swap_page calls migrate_to_ram without a page reference. */
export const kernelSwapWithoutRef: Driver = {
  ...mirror,
  name: 'kernel-swap-without-ref',
  summary:
    'mirror driver on a core-mm variant where do_swap_page drops the PTL and calls migrate_to_ram without get_page',
  kernel: { swapWithoutPageRef: true },
  broken: {
    bug: 'the device page of a CPU fault can be freed between dropping the page-table lock and migrate_to_ram, which then uses it',
    fix: 'mm/memory.c: fix race when faulting a device private page',
    expects: 'memory-safety',
    layer: 'core-mm',
    scenario: [
      'a CPU thread faults on a device-private page and drops the PTL before calling migrate_to_ram',
      'another thread unmaps the page (or migrates it back) meanwhile: migrate_to_ram runs on a freed page',
    ],
  },
};
