// The kernel's GPU page-fault path around the driver's handler (amdgpu_vm_handle_fault ->
// svm_range_restore_pages): a critical section in König's rules (seed 003), where waiting on an
// hmm_fence is forbidden because resolving the fault is what hmm_fences wait for.
import { driverProcName } from '../driver.js';
import { GPU_PAGE_FAULT } from '../lockdep/pseudoLocks.js';
import { enterSection, leaveSection } from '../lockdep/sections.js';
import { call, defineProc, ret } from '../proc.js';

export const gpuFaultHandler = defineProc<{ gpu: number; pid: number; vpn: number; write: boolean }>(
  'gpu_fault_handler',
  {
    start(env, l) {
      enterSection(env, GPU_PAGE_FAULT);
      return call(
        driverProcName('gpu_fault'),
        { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write },
        'done',
      );
    },
    done(env, _l, r) {
      leaveSection(env, GPU_PAGE_FAULT);
      return ret(r);
    },
  },
);
