// svm_range_restore_pages with XNACK off (kfd_svm.c at 006ad514a50c), and its fallback to system
// memory when svm_migrate_to_vram fails (kfd_svm.c at 8f8cc3fb4350).
import { call, count, ret, type Handler, type Proc } from '../../model/proc.js';
import type { SvmFaultLocals } from '../svm/svmFault.js';

/**
 * kfdRestorePages - the svm family's gpu_fault (svm_range_restore_pages) with kfd's XNACK rule: a
 * process with XNACK off has no recoverable faults (svm_range_restore_pages: "XNACK not enabled",
 * -EFAULT), so the access is a fatal GPU fault. With XNACK on the retry fault is handled as the
 * family does.
 *
 * Context: the IH fault handler thread.
 * Return: what the base returns; 'EFAULT' at once with XNACK off.
 */
export function kfdRestorePages(base: Proc): Proc {
  const start = base.steps['start'] as Handler<unknown>;
  const map = base.steps['map'] as unknown as Handler<SvmFaultLocals>;
  const steps: Record<string, Handler<SvmFaultLocals>> = {
    start(env, l, r) {
      if (env.s.cfg.xnack === 'off') {
        count(env, 'GPU fault with XNACK off: fatal');
        return ret('EFAULT');
      }
      return start(env, l, r);
    },
    // svm_migrate_to_vram failed (-EDEADLK: VRAM of another GPU left after three passes): "falling
    // back to system memory", svm_migrate_vram_to_ram of the window, then validate and map.
    map(env, l, r) {
      if (r !== 'EDEADLK') return map(env, l, r);
      count(env, 'restore_pages: falling back to system memory');
      return call('drv:svm_migrate', { rid: l.rid, pid: l.pid, start: l.start, last: l.last, to: 0 }, 'map');
    },
  };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
