// svm_range_restore_pages with XNACK off (kfd_svm.c at 006ad514a50c).
import { count, ret, type Handler, type Proc } from '../../model/proc.js';

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
  return {
    ...base,
    steps: {
      ...base.steps,
      start(env, l, r) {
        if (env.s.cfg.xnack === 'off') {
          count(env, 'GPU fault with XNACK off: fatal');
          return ret('EFAULT');
        }
        return start(env, l, r);
      },
    },
  };
}
