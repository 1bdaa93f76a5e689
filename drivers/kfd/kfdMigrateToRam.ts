// svm_migrate_to_ram's faulting_task check (kfd_migrate.c at 057ad0ef4da6).
import { count, ret, type Handler, type Proc } from '../../model/proc.js';
import type { SvmRamLocals } from '../svm/svmFault.js';
import { boById } from '../svm/svmBo.js';
import { faultingTaskOf } from './kfdState.js';

/**
 * kfdMigrateToRam - the family's migrate_to_ram with kfd's check: when the BO's process
 * (svm_bo->eviction_fence->mm, kfd_lookup_process_by_mm) has this very task in its
 * svms->faulting_task, the CPU fault comes from that process's own hmm_range_fault in
 * svm_range_validate_and_map, and the callback returns 0 without migrating ("skipping ram
 * migration"): handle_mm_fault leaves the device page where it is, and hmm_range_fault walks again,
 * reporting it if the owner it was given is the page's, faulting it again (a busy loop until an
 * invalidation moves the notifier's sequence) if not. The family instead migrates the page without
 * taking svms->lock, which the recursion already holds.
 *
 * Context: do_swap_page(), as migrate_to_ram.
 * Return: 0 at once for the faulting task; else what the base returns.
 */
export function kfdMigrateToRam(base: Proc): Proc {
  const start = base.steps['start'] as unknown as Handler<SvmRamLocals>;
  const steps: Record<string, Handler<SvmRamLocals>> = {
    start(env, l, r) {
      const bo = boById(env.s, env.s.phys[l.page]?.zdd ?? -1);
      if (bo && env.s.procs[bo.pid]?.alive && faultingTaskOf(env.s, bo.pid) === env.act.id) {
        count(env, 'migrate_to_ram: faulting_task, migration skipped');
        return ret(0);
      }
      return start(env, l, r);
    },
  };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
