// The correct mirror driver on a core mm whose do_swap_page calls migrate_to_ram without a page
// reference: a kernel patch (the --kernel-patch mechanism a user has) replacing handle_mm_fault's
// 'ref' step (get_page under the PTL) and 'put' step (put_page after the call).
import { defineDriver } from '../../api/defineDriver.js';
import { defineKernelPatch } from '../../api/defineKernelPatch.js';
import { patchKernelSteps } from '../../api/patchKernelSteps.js';
import type { Driver } from '../../model/driver.js';
import type { HandleMmFaultLocals } from '../../model/kernel/fault.js';
import { pageLock, unlock } from '../../model/locks.js';
import { ret, yieldTo } from '../../model/proc.js';
import { mirror } from '../mirror.js';

/** mm/memory.c before "fix race when faulting a device private page": no get_page / put_page. */
const swapWithoutRef = defineKernelPatch({
  name: 'swap-without-ref',
  summary: 'mm/memory.c do_swap_page: migrate_to_ram of a device-private page without get_page()',
  procs: [
    patchKernelSteps<HandleMmFaultLocals>('handle_mm_fault', {
      // The bug: pte_unmap_unlock and the call with no reference on the page.
      ref: () => yieldTo('swap'),
      put(env, l) {
        if (l.locked) unlock(env, pageLock(l.page));
        return ret(l.res);
      },
    }),
  ],
});

export const kernelSwapWithoutRef: Driver = defineDriver({
  ...mirror,
  name: 'kernel-swap-without-ref',
  summary:
    'mirror driver on a core-mm variant where do_swap_page drops the PTL and calls migrate_to_ram without get_page',
  kernelPatch: swapWithoutRef,
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
});
