// svm_range_list_fini (kfd_svm.c at 006ad514a50c): the teardown of a process's SVM ranges, run from
// kfd_process_wq_release after the process's mm is gone.
import { gpuZap } from '../../model/gpu.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { unlock } from '../../model/locks.js';
import { block, defineProc, emit, goto, ret } from '../../model/proc.js';
import { dropNode } from '../svm/svmBo.js';
import { removeFromTree } from '../svm/rangeOps.js';
import { deferredCount, dropRange, pendingFaults, svmState } from '../svm/svmState.js';
import { restoreWorkLock } from './kfdRestoreWork.js';
import { kfdState } from './kfdState.js';

/**
 * list_fini - svm_range_list_fini(): cancel restore_work (waiting for a running one), flush the
 * deferred list work, drain the retry faults still in the rings (the process is gone, so the fault
 * handler drops them: the model waits for the rings to empty), then unlink and free every range.
 * The GPU VMs go with the process (kfd_process_destroy_pdds), so their page tables are cleared.
 *
 * Context: a kworker (kfd_process_wq); sleeps in cancel_delayed_work_sync and flush_work.
 * Return: 0.
 */
export const kfdListFini = defineProc<{ pid: number }>('list_fini', {
  start(env, l) {
    // cancel_delayed_work_sync(&svms->restore_work).
    const b = lockOrBlock(env, restoreWorkLock(l.pid), 'w');
    if (b) return b;
    const st = kfdState(env.s);
    st.restorePending = st.restorePending.filter((p) => p !== l.pid);
    unlock(env, restoreWorkLock(l.pid));
    return goto('flush');
  },
  flush(env, l) {
    // flush_work(&svms->deferred_list_work).
    if ((env.s.counters[deferredCount(l.pid)] ?? 0) > 0)
      return block({ k: 'counter', key: deferredCount(l.pid), until: 0 });
    return goto('drain');
  },
  drain(env, l) {
    for (let g = 0; g < env.s.cfg.gpus.length; g++)
      if ((env.s.counters[pendingFaults(l.pid, g)] ?? 0) > 0)
        return block({ k: 'counter', key: pendingFaults(l.pid, g), until: 0 });
    return goto('free');
  },
  free(env, l) {
    const s = env.s;
    for (let g = 0; g < s.cfg.gpus.length; g++) gpuZap(env, g, l.pid, 0, s.cfg.vaPages);
    for (const r of svmState(s).ranges.filter((x) => x.pid === l.pid)) {
      removeFromTree(s, r);
      dropNode(s, r);
      dropRange(s, r.id);
    }
    emit(env, {
      e: 'svm-range',
      pid: l.pid,
      start: 0,
      last: s.cfg.vaPages - 1,
      what: 'freed by svm_range_list_fini',
    });
    return ret(0);
  },
});
