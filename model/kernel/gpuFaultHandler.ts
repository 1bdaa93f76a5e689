// The kernel's GPU page-fault path around the driver's handler (amdgpu_vm_handle_fault ->
// svm_range_restore_pages): a critical section in König's rules (seed 003), where waiting on an
// hmm_fence is forbidden because resolving the fault is what hmm_fences wait for.
import { drmDevEnter, drmDevExit } from '../devmem.js';
import { driverProcName } from '../driver.js';
import { GPU_PAGE_FAULT } from '../lockdep/pseudoLocks.js';
import { enterSection, leaveSection } from '../lockdep/sections.js';
import { call, defineProc, ret } from '../proc.js';

export const gpuFaultHandler = defineProc<{
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  /** The access was atomic (passed on to the driver only when set: most drivers take it as a write). */
  atomic?: boolean;
  /**
   * Ghost: the oracle cell mapped at the address when the fault was raised, -1 if none. A munmap
   * and mmap at the same address give it a new cell, so no-stale-fault-state (properties/) tells
   * a fault raised for an earlier mapping from one for the mapping there now.
   */
  cell?: number;
  /** Ghost: the address was registered SVM memory (set_attr or an earlier fault's range) when the fault was raised. */
  svm?: boolean;
}>('gpu_fault_handler', {
  start(env, l) {
    l.cell = env.s.procs[l.pid]?.cell[l.vpn] ?? -1;
    l.svm = (env.s.uapi.attrs[l.pid]?.[l.vpn] ?? null) !== null;
    // The driver's fault path runs inside drm_dev_enter(): unplug waits for it, and refuses it after.
    if (!drmDevEnter(env.s, l.gpu)) return ret('ENODEV');
    enterSection(env, GPU_PAGE_FAULT);
    const args = { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write };
    return call(driverProcName('gpu_fault'), l.atomic ? { ...args, atomic: true } : args, 'done');
  },
  done(env, l, r) {
    leaveSection(env, GPU_PAGE_FAULT);
    drmDevExit(env.s, l.gpu);
    return ret(r);
  },
});
