// The reference svm_range driver whose migrate_to_ram always takes svms->lock (no faulting_task
// recursion guard): its 'start' and 'lock' steps replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { goto, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { boById } from '../svm/svmBo.js';
import type { SvmRamLocals } from '../svm/svmFault.js';
import { svmsLockSleeping } from './svmsLockSleeping.js';

export const svmNoRecursionGuard: Driver = defineDriver(
  withSteps<SvmRamLocals>(
    reference,
    'migrate_to_ram',
    {
      start(env, l) {
        const bo = boById(env.s, env.s.phys[l.page]?.zdd ?? -1);
        if (!bo) return ret('SIGBUS');
        if (!env.s.procs[bo.pid]?.alive) return goto('alone');
        l.owner = bo.pid;
        // The bug: svms->lock is taken even when our own restore_pages (hmm_range_fault) holds it.
        l.relock = true;
        return goto('lock');
      },
      // ... and with mutex_lock(), as kfd (the reference's trylock would migrate the page alone).
      lock: svmsLockSleeping,
    },
    {
      name: 'svm-no-recursion-guard',
      summary: 'svm_range driver whose migrate_to_ram always takes svms->lock',
      broken: {
        bug: 'restore_pages holds svms->lock while its hmm_range_fault faults a device page of the range back to RAM, and migrate_to_ram blocks on the same lock',
        fix: 'drm/amdkfd: the svms->faulting_task recursion guard in svm_migrate_to_ram',
        expects: 'deadlock',
        layer: 'multi-gpu',
        scenario: [
          "a page of the range is in VRAM that hmm_range_fault faults: another hive's, or the faulting GPU's own when it follows a missing page (mm/hmm.c hmm_vma_fault faults every page to the end of the walk)",
          "validate_and_map's hmm_range_fault reaches migrate_to_ram, which waits for the svms lock its own caller holds",
        ],
      },
    },
  ),
);
