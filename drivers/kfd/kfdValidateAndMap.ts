// svm_range_validate_and_map as kfd writes it around hmm_range_fault (kfd_svm.c at 8f8cc3fb4350):
// svms->faulting_task names the task inside amdgpu_hmm_range_get_pages, so that
// svm_migrate_to_ram, reached from that very hmm_range_fault, does not migrate (kfdMigrateToRam).
import type { Handler, Proc } from '../../model/proc.js';
import type { SvmMapLocals } from '../svm/svmMap.js';
import { rangeById } from '../svm/svmState.js';
import { faultingTaskOf, setFaultingTask } from './kfdState.js';

/**
 * kfdValidateAndMap - the family's validate_and_map with WRITE_ONCE(p->svms.faulting_task,
 * current) before amdgpu_hmm_range_get_pages and WRITE_ONCE(..., NULL) after it (the commit
 * "drm/amdkfd: avoid recursive lock in migrations back to RAM": hmm_range_fault's write fault on a
 * read-only system page faults the own device pages after it in the same walk too).
 *
 * Context: as validate_and_map: mmap_lock for read and svms->lock held by the caller.
 * Return: what the base returns.
 */
export function kfdValidateAndMap(base: Proc): Proc {
  const seg = base.steps['seg'] as unknown as Handler<SvmMapLocals>;
  const got = base.steps['got'] as unknown as Handler<SvmMapLocals>;
  const pidOf = (env: Parameters<Handler<SvmMapLocals>>[0], l: SvmMapLocals): number =>
    rangeById(env.s, l.rid)?.pid ?? -1;
  const steps: Record<string, Handler<SvmMapLocals>> = {
    seg(env, l, r) {
      const res = seg(env, l, r);
      if (res.k === 'call' && res.fn === 'hmm_range_fault') setFaultingTask(env.s, pidOf(env, l), env.act.id);
      return res;
    },
    got(env, l, r) {
      // The range cannot have gone meanwhile: the caller holds svms->lock.
      const pid = pidOf(env, l);
      if (pid >= 0 && faultingTaskOf(env.s, pid) === env.act.id) setFaultingTask(env.s, pid, -1);
      return got(env, l, r);
    },
  };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
