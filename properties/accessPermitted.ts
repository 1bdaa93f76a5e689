// Whether a CPU or GPU access is one the user may make: the address is mapped with the protection
// the access needs and, for a GPU, the SVM attributes set on the page (kfd_ioctl.h) let that GPU in.
// What the access-outcome invariants compare a refused access against.
import { devmemLife } from '../model/devmem.js';
import { vmaAt } from '../model/mem.js';
import type { State } from '../model/types.js';
import { FLAG_GPU_RO } from '../model/uapi.js';

/**
 * Why an access is refused: the process exited; no VMA maps the address; the VMA is PROT_NONE or
 * (a write) read-only; the GPU is being unbound; a userptr BO maps it; a set_attr is changing its
 * attributes; XNACK off and the page is not registered SVM memory (no retry fault); the GPU has
 * no access (KFD_IOCTL_SVM_ATTR_NO_ACCESS); a write to a GPU read-only range (KFD_IOCTL_SVM_FLAG_GPU_RO).
 */
export type AccessRefusal =
  | 'exited'
  | 'no-vma'
  | 'prot-none'
  | 'read-only'
  | 'unbinding'
  | 'userptr'
  | 'set-attr-in-flight'
  | 'xnack-off-unregistered'
  | 'no-access'
  | 'gpu-read-only'
  | 'atomic-needs-devmem';

/** Why the access is not permitted, or null when it is (gpu -1: a CPU access). */
export function accessRefusal(
  s: State,
  pid: number,
  vpn: number,
  write: boolean,
  gpu: number,
  atomic = false,
): AccessRefusal | null {
  if (!s.procs[pid]?.alive) return 'exited';
  const v = vmaAt(s, pid, vpn);
  if (!v) return 'no-vma';
  if (v.prot === 'none') return 'prot-none';
  if (write && v.prot !== 'rw') return 'read-only';
  if (gpu < 0) return null;
  if (devmemLife(s, gpu) !== 'live') return 'unbinding';
  // A discrete device's atomics need device memory (xe: devmem_only, with the atomic attribute left
  // at DRM_XE_ATOMIC_UNDEFINED), which memory that cannot migrate never reaches: -EACCES by design
  // (__xe_svm_handle_pagefault at 0131514f9789: "if (ctx.devmem_only && !migrate_devmem)").
  if (atomic && v.shm >= 0 && s.cfg.gpus[gpu]?.mem === 'private') return 'atomic-needs-devmem';
  // A non-SVM GPU VM mapping (a userptr BO) is not SVM memory: its faults are not SVM's to serve.
  for (const [a, b] of s.uapi.gpuvm[pid] ?? []) if (vpn >= (a ?? 0) && vpn < (b ?? 0)) return 'userptr';
  // A set_attr still in flight over the page: either its old or its new attributes hold.
  for (const f of s.uapi.inflight)
    if (f.pid === pid && vpn >= f.start && vpn < f.end) return 'set-attr-in-flight';
  const a = s.uapi.attrs[pid]?.[vpn];
  // XNACK off: no retry fault, so only memory registered with set_attr for the GPU is its to reach
  // (svm_range_restore_pages: "XNACK not enabled", -EFAULT).
  if (!a) return s.cfg.xnack === 'off' ? 'xnack-off-unregistered' : null;
  if (!(((a.access | a.aip) >> gpu) & 1)) return 'no-access';
  if (write && a.flags & FLAG_GPU_RO) return 'gpu-read-only';
  return null;
}
