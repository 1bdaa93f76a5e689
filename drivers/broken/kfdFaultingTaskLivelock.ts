// Upstream kfd's svms->faulting_task (kfd_migrate.c svm_migrate_to_ram, read at torvalds/linux
// 057ad0ef4da6: "if (READ_ONCE(p->svms.faulting_task) == current) { pr_debug("skipping ram
// migration\n"); r = 0; ... }"; set around amdgpu_hmm_range_get_pages in
// svm_range_validate_and_map, kfd_svm.c read at 8f8cc3fb4350), on `kfd`, whose migrate_to_ram
// otherwise follows the svm family (trylock svms->lock, migrate without it when our own
// hmm_range_fault already holds it).
//
// The skip is right when the fault that reaches it is hmm_range_fault's fault-around of our own
// device pages behind a read-only system page (the case of "drm/amdkfd: avoid recursive lock in
// migrations back to RAM"): the next walk reports those pages, whose pgmap owner is the walk's. It
// livelocks when the walk's owner is NULL, which svm_range_validate_and_map chooses whenever the
// GPUs to map have different pgmap owners (SVM_ADEV_PGMAP_OWNER: the XGMI hive, or the adev of a
// GPU in none): hmm_vma_handle_pte then faults every device-private page of the range (8a295dbbaf72
// "mm/hmm: fault non-owner device private entries", v5.19, Cc stable; before it the walk returned
// -EFAULT), svm_migrate_to_ram returns 0 without migrating, hmm_vma_fault returns -EBUSY and
// hmm_range_fault walks again, for ever: nothing invalidates the notifier's sequence, the task
// holds mmap_lock, svms->lock and prange->migrate_mutex (so neither a CPU fault of another thread
// nor the TTM eviction worker can move the page), and neither hmm_range_fault nor do_swap_page
// looks at signals. Such a page is left whenever a move to system memory did not migrate it:
// svm_migrate_vma_to_ram returns the pages it migrated (0 when migrate_vma_collect_pmd's
// folio_trylock failed, cpages 0, or folio_migrate_mapping found an unexpected reference),
// svm_migrate_vram_to_ram returns 0 with prange->vram_pages > 0 and actual_loc kept, and
// svm_range_trigger_migration reports the range migrated.
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { count, ret } from '../../model/proc.js';
import type { Activity, State } from '../../model/types.js';
import { kfd } from '../kfd.js';
import { boById } from '../svm/svmBo.js';
import type { SvmRamLocals } from '../svm/svmFault.js';
import { rangeById } from '../svm/svmState.js';

const kfdStart = stepOf<SvmRamLocals>(kfd, 'migrate_to_ram', 'start');

/**
 * READ_ONCE(p->svms.faulting_task) == current for process `pid`: the activity is inside that
 * process's svm_range_validate_and_map, in amdgpu_hmm_range_get_pages (its frame,
 * drv:validate_and_map, waits at 'got' for hmm_range_fault). The field is set and cleared around
 * that call only, by the task itself, and svms->lock lets one task of the process be there at a
 * time, so the stack tells what the field would.
 */
function isFaultingTask(s: State, act: Activity, pid: number): boolean {
  return act.frames.some(
    (f) =>
      f.fn === 'drv:validate_and_map' && f.pc === 'got' && rangeById(s, f.l['rid'] as number)?.pid === pid,
  );
}

export const kfdFaultingTaskLivelock: Driver = defineDriver({
  ...withSteps<SvmRamLocals>(
    kfd,
    'migrate_to_ram',
    {
      start(env, l, r) {
        const bo = boById(env.s, env.s.phys[l.page]?.zdd ?? -1);
        if (bo && env.s.procs[bo.pid]?.alive && isFaultingTask(env.s, env.act, bo.pid)) {
          count(env, 'migrate_to_ram: faulting_task, migration skipped');
          return ret(0);
        }
        return kfdStart(env, l, r);
      },
    },
    {
      name: 'kfd-faulting-task-livelock',
      summary:
        "kfd with upstream's svms->faulting_task: migrate_to_ram reached from its own hmm_range_fault returns 0 without migrating",
      broken: {
        bug: "a page left in VRAM by a move to system memory that did not migrate it is faulted for ever by validate_and_map's hmm_range_fault with owner NULL (GPUs of two pgmap owners), each fault skipped by svms->faulting_task",
        fix: 'none in kfd as of torvalds/linux 057ad0ef4da6 (kfd_migrate.c svm_migrate_to_ram) and the kfd_svm.c of 8f8cc3fb4350 (svm_range_validate_and_map); `kfd` here migrates the page (the svm family, without taking svms->lock again)',
        expects: 'progress',
        layer: 'multi-gpu',
        upstream: 'torvalds/linux 057ad0ef4da6',
        scenario: [
          "a range in one hive's VRAM is given access from a GPU of another hive: set_attr moves it to system memory, and one page is not migrated (busy or referenced)",
          "validate_and_map's hmm_range_fault (owner NULL) faults that page; svm_migrate_to_ram skips it (faulting_task) and the walk faults it again, for ever",
        ],
      },
    },
  ),
  // The suite that maps ranges for GPUs of two hives with XNACK off, where set_attr maps at once.
  suite: 'xnack-off',
});
