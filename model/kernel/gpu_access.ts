// A GPU queue's memory access: through a valid GPU PTE it reaches the page directly; otherwise
// the access raises a recoverable page fault into the driver and is retried once the driver has
// handled it. A driver error ends the access with a fatal GPU fault (the job is killed).
import { devmemLife } from '../devmem.js';
import { call, count, defineProc, emit, goto, ret, reschedTo, type StepResult } from '../proc.js';
import { expectedValue, writeValue } from '../mem.js';
import { queuesRun } from '../queues.js';

interface L {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
}

export const gpuAccess = defineProc<L>('gpu_access', {
  start() {
    return goto('try');
  },
  try(env, l) {
    const s = env.s;
    if (!s.procs[l.pid]?.alive) {
      emit(env, { e: 'gpu-error', gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write, err: 'ESRCH' });
      return ret(0);
    }
    if (devmemLife(s, l.gpu) === 'gone') {
      // The device was unbound: no queue is left to run the access.
      emit(env, { e: 'syscall', op: 'gpu access', pid: l.pid, err: 'ENODEV', detail: `gpu${l.gpu} unbound` });
      return ret(0);
    }
    // Evicted queues (kgd2kfd_quiesce_mm, model/queues.ts) run nothing until they are restored.
    if (!queuesRun(s, l.pid)) return reschedTo('try');
    const pte = s.gpuPt[l.gpu]?.[l.pid]?.[l.vpn] ?? null;
    if (pte && (!l.write || pte.w)) {
      if (l.write) {
        const v = writeValue(s, l.pid, l.vpn, pte.page);
        emit(env, { e: 'gpu-write', gpu: l.gpu, pid: l.pid, vpn: l.vpn, page: pte.page, v });
      } else {
        const v = s.phys[pte.page]?.data ?? 0;
        const want = expectedValue(s, l.pid, l.vpn) ?? -1;
        emit(env, { e: 'gpu-read', gpu: l.gpu, pid: l.pid, vpn: l.vpn, page: pte.page, v, want });
      }
      return ret(0);
    }
    emit(env, { e: 'gpu-fault', gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write });
    count(env, 'gpu page faults');
    return call('gpu_fault_handler', { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write }, 'after');
  },
  after(env, l, r): StepResult {
    if (r === 0) {
      // Retried at once when the handler left a usable PTE; otherwise another fault round follows.
      const pte = env.s.gpuPt[l.gpu]?.[l.pid]?.[l.vpn] ?? null;
      return pte && (!l.write || pte.w) ? goto('try') : reschedTo('try');
    }
    emit(env, { e: 'gpu-error', gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write, err: String(r) });
    return ret(0);
  },
});
