// A CPU thread's load or store. Through a present pte with the right permission it touches the
// page; otherwise it takes mmap_lock for read and handles the page fault, and retries. An access
// the fault handler refuses is a SIGSEGV, recorded as an observation, not a failure of the model.
import { block, call, count, defineProc, emit, goto, ret, reschedTo, type StepResult } from '../proc.js';
import { mmapLock, tryLock, unlock } from '../locks.js';
import { expectedValue, pteKey, vmaAt, writeValue } from '../mem.js';
import { MM, mut } from '../touched.js';
import { taskAlive } from '../mmUsers.js';

interface L {
  pid: number;
  vpn: number;
  write: boolean;
  /** The value a store writes (conformance programs choose it); a fresh one when absent. */
  value?: number;
  /** The pte before the fault, to tell a resolved fault from one that changed nothing. */
  before: string;
}

export const cpuAccess = defineProc<L>('cpu_access', {
  start() {
    return goto('try');
  },
  try(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    // A thread of an exited task touches nothing (the mm may outlive it, pinned by a driver).
    if (!p || !taskAlive(s, l.pid)) return ret(0);
    const v = vmaAt(s, l.pid, l.vpn);
    const pte = p.pt[l.vpn] ?? null;
    if (pte && pte.t === 'p' && v && v.prot !== 'none' && (!l.write || (pte.w && v.prot === 'rw'))) {
      if (l.write) {
        const val = writeValue(s, l.pid, l.vpn, pte.page, l.value);
        // The MMU sets the dirty bit of the pte a store goes through.
        if (!pte.d) mut(MM, p.pt)[l.vpn] = { t: 'p', page: pte.page, w: pte.w, d: true };
        emit(env, { e: 'cpu-write', pid: l.pid, vpn: l.vpn, v: val });
      } else {
        const val = s.phys[pte.page]?.data ?? 0;
        emit(env, {
          e: 'cpu-read',
          pid: l.pid,
          vpn: l.vpn,
          v: val,
          want: expectedValue(s, l.pid, l.vpn) ?? -1,
        });
      }
      return ret(0);
    }
    if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    l.before = pteKey(pte);
    // Counted as gpu_access counts its faults: the policy comparison (svmcheck compare) reads it.
    count(env, 'cpu page faults');
    return call('handle_mm_fault', { pid: l.pid, vpn: l.vpn, write: l.write }, 'faulted');
  },
  faulted(env, l, r): StepResult {
    unlock(env, mmapLock(l.pid));
    if (r === 'SEGV') {
      emit(env, { e: 'sigsegv', pid: l.pid, vpn: l.vpn, write: l.write });
      return ret(0);
    }
    if (r !== 0) {
      emit(env, { e: 'syscall', op: 'page fault', pid: l.pid, err: String(r), detail: `vpn ${l.vpn}` });
      return ret(0);
    }
    // The access is retried at once after a fault that changed the pte; a fault that changed nothing
    // (the page was busy) returns to user space and spins.
    const now = env.s.procs[l.pid]?.pt[l.vpn] ?? null;
    return pteKey(now) === l.before ? reschedTo('try') : goto('try');
  },
});
