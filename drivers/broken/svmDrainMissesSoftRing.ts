// Retry faults delegated to a second interrupt ring that the drain does not wait for. amdgpu moves
// retry faults to the ih_soft ring (amdgpu_irq_delegate) when the retry CAM is on, and
// svm_range_drain_retry_fault (kfd_svm.c, read at torvalds/linux 006ad514a50c) waits on ih_soft as
// well as ih1 for that reason: a drain that checkpoints only the first ring finishes while a fault
// still sits in the second, the deferred worker frees the range, and the fault is handled later,
// possibly after munmap and mmap gave the address to a new mapping. The variant holds each fault
// in a ring of its own (a preemption point not counted as pending) before the reference's handler.
import type { Driver } from '../../model/driver.js';
import { driverProcName } from '../../model/driver.js';
import { call, defineProc, ret, yieldTo } from '../../model/proc.js';
import { reference } from '../reference.js';

interface L {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
}

const viaSoftRing = defineProc<L>('gpu_fault', {
  start() {
    // amdgpu_irq_delegate: the entry waits in ih_soft, which the drain's checkpoint does not cover.
    return yieldTo('soft');
  },
  soft(_env, l) {
    const args = { gpu: l.gpu, pid: l.pid, vpn: l.vpn, write: l.write };
    return call(driverProcName('gpu_fault_ih1'), args, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});

export const svmDrainMissesSoftRing: Driver = {
  ...reference,
  name: 'svm-drain-misses-soft-ring',
  summary:
    'svm_range driver whose retry-fault drain checkpoints the IH ring but not the ih_soft ring faults are delegated to',
  suite: 'mirror',
  procs: { ...reference.procs, gpu_fault: viaSoftRing, gpu_fault_ih1: reference.procs.gpu_fault },
  broken: {
    bug: 'a retry fault waiting in the ih_soft ring escapes the drain: after munmap and mmap at the same address it creates a range and migrates memory of the new mapping',
    fix: 'kfd_svm.c svm_range_drain_retry_fault: with retry_cam_enabled, also amdgpu_ih_wait_on_checkpoint_process_ts on adev->irq.ih_soft',
    expects: 'range',
    layer: 'svm_range',
    scenario: [
      'a GPU faults on a range; the retry fault is delegated to ih_soft; munmap drains ih1 only and frees the range',
      'the address is mapped again; the stale fault is handled and acts on the new mapping',
    ],
  },
};
