// The signature of one upstream behaviour that kfd and xe share: hmm_range_fault reports the
// caller's own device-private page as it is ("Don't fault in device private pages owned by the
// caller": HMM_PFN_WRITE only when the swap entry is writable, never faulted for write), while the
// driver takes the GPU PTE's write bit from the VMA (kfd: svm_range_map_to_gpu's
// `readonly = !(vma->vm_flags & VM_WRITE)`) or the GPU VMA (xe: xelp_pte_encode_vma). After fork or
// mprotect made the device-private entry read-only, the GPU maps writable a page the CPU may only read.
import { vmaAt } from '../../model/mem.js';
import type { FailureView } from '../../model/openFinding.js';
import type { State } from '../../model/types.js';

/**
 * Whether the failure is a writable GPU PTE to a device-private page whose CPU entry is a read-only
 * device-private swap entry: the PTE's write bit did not come from hmm_range_fault. `writeFrom`:
 * kfd takes it from the CPU VMA (then the VMA has VM_WRITE, or kfd would have mapped read-only);
 * xe from the GPU VMA, which the model binds read-write whatever the CPU VMA.
 */
export function writableDevicePrivatePte(f: FailureView, s: State, writeFrom: 'vma' | 'gpu-vma'): boolean {
  const { gpu, pid, vpn } = f.at ?? {};
  if (f.code !== 'writable' || gpu === undefined || pid === undefined || vpn === undefined) return false;
  const pte = s.gpuPt[gpu]?.[pid]?.[vpn];
  const cpu = s.procs[pid]?.pt[vpn];
  return (
    !!pte &&
    pte.w &&
    (s.phys[pte.page]?.gpu ?? -1) >= 0 &&
    cpu?.t === 'd' &&
    cpu.page === pte.page &&
    !cpu.w &&
    (writeFrom === 'gpu-vma' || vmaAt(s, pid, vpn)?.prot === 'rw')
  );
}
