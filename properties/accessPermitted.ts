// Whether a CPU or GPU access is one the user may make: the address is mapped with the protection
// the access needs and, for a GPU, the SVM attributes set on the page (kfd_ioctl.h) let that GPU in.
// What the access-outcome invariants compare a refused access against.
import { devmemLife } from '../model/devmem.js';
import { vmaAt } from '../model/mem.js';
import type { State } from '../model/types.js';
import { FLAG_GPU_RO } from '../model/uapi.js';

/** Why the access is not permitted, or null when it is (gpu -1: a CPU access). */
export function accessRefusal(
  s: State,
  pid: number,
  vpn: number,
  write: boolean,
  gpu: number,
): string | null {
  if (!s.procs[pid]?.alive) return 'the process has exited';
  const v = vmaAt(s, pid, vpn);
  if (!v) return 'no VMA maps the address';
  if (v.prot === 'none' || (write && v.prot !== 'rw'))
    return `the VMA is ${v.prot === 'none' ? 'PROT_NONE' : 'read-only'}`;
  if (gpu < 0) return null;
  if (devmemLife(s, gpu) !== 'live') return `gpu${gpu} is being unbound`;
  // A non-SVM GPU VM mapping (a userptr BO) is not SVM memory: its faults are not SVM's to serve.
  for (const [a, b] of s.uapi.gpuvm[pid] ?? [])
    if (vpn >= (a ?? 0) && vpn < (b ?? 0)) return 'a userptr BO maps it';
  // A set_attr still in flight over the page: either its old or its new attributes hold.
  for (const f of s.uapi.inflight)
    if (f.pid === pid && vpn >= f.start && vpn < f.end) return 'set_attr is changing its attributes';
  const a = s.uapi.attrs[pid]?.[vpn];
  // XNACK off: no retry fault, so only memory registered with set_attr for the GPU is its to reach
  // (svm_range_restore_pages: "XNACK not enabled", -EFAULT).
  if (!a)
    return s.cfg.xnack === 'off' ? 'XNACK off: the page is not registered SVM memory (no retry fault)' : null;
  if (!(((a.access | a.aip) >> gpu) & 1)) return `gpu${gpu} has no access (KFD_IOCTL_SVM_ATTR_NO_ACCESS)`;
  if (write && a.flags & FLAG_GPU_RO) return 'the range is GPU read-only (KFD_IOCTL_SVM_FLAG_GPU_RO)';
  return null;
}
