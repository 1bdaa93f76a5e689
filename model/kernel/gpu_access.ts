// A GPU queue's memory access: through a valid GPU PTE it reaches the page directly; otherwise
// the access raises a recoverable page fault into the driver and is retried once the driver has
// handled it. A driver error ends the access with a fatal GPU fault (the job is killed). An atomic
// access is a write that also needs the PTE's atomic permission (GpuPte.noAtomic unset); its fault
// carries the atomic bit (xe_svm_handle_pagefault's @atomic), which drivers without an atomic
// fault path take as a write.
import { devmemLife } from '../devmem.js';
import { call, count, defineProc, emit, goto, ret, reschedTo, type StepResult } from '../proc.js';
import { expectedValue, writeValue } from '../mem.js';
import { queuesRun } from '../queues.js';
import type { GpuPte } from '../types.js';

interface L {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  /** A GPU atomic access (always with write). */
  atomic?: boolean;
}

/** The PTE lets this access through: present, writable for a write, atomic-enabled for an atomic. */
const usable = (pte: GpuPte, l: L): pte is NonNullable<GpuPte> =>
  pte !== null && (!l.write || pte.w) && (!l.atomic || !pte.noAtomic);

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
    if (usable(pte, l)) {
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
    const args = { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write };
    return call('gpu_fault_handler', l.atomic ? { ...args, atomic: true } : args, 'after');
  },
  after(env, l, r): StepResult {
    if (r === 0) {
      // Retried at once when the handler left a usable PTE; otherwise another fault round follows.
      const pte = env.s.gpuPt[l.gpu]?.[l.pid]?.[l.vpn] ?? null;
      return usable(pte, l) ? goto('try') : reschedTo('try');
    }
    const at = { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write };
    emit(env, { e: 'gpu-error', ...at, ...(l.atomic ? { atomic: true as const } : {}), err: String(r) });
    return ret(0);
  },
});
