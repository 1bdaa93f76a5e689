// GPU PTE permissions taken from the CPU page table alone: svm_range_get_pte_flags (kfd_svm.c, read
// at torvalds/linux; the function clears AMDGPU_VM_PAGE_WRITEABLE when the range has
// KFD_IOCTL_SVM_FLAG_GPU_RO) is bypassed, so a GPU read-only range is mapped writable wherever
// the CPU may write. The variant runs the reference's validate_and_map and then re-programs each
// PTE it left read-only on a CPU-writable page as writable, as flags computed without
// prange->flags would have.
import type { Driver } from '../../model/driver.js';
import { driverProcName } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { vmaAt } from '../../model/mem.js';
import { call, defineProc, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { rangeById } from '../svm/svmState.js';

interface L {
  rid: number;
  start: number;
  last: number;
  gpus: number;
}

const referenceMap = reference.procs['validate_and_map'];
if (!referenceMap) throw new Error('svm-gpu-ro-ignored: the reference driver has no validate_and_map');

const mapIgnoringGpuRo = defineProc<L>('validate_and_map', {
  start(_env, l) {
    const args = { rid: l.rid, start: l.start, last: l.last, gpus: l.gpus };
    return call(driverProcName('validate_and_map_flags'), args, 'done');
  },
  done(env, l, r) {
    const s = env.s;
    const range = rangeById(s, l.rid);
    if (r !== 0 || !range) return ret(r);
    for (let g = 0; g < s.cfg.gpus.length; g++) {
      if (!((l.gpus >> g) & 1)) continue;
      for (let vpn = l.start; vpn <= l.last; vpn++) {
        const e = s.gpuPt[g]?.[range.pid]?.[vpn] ?? null;
        const cpu = s.procs[range.pid]?.pt[vpn] ?? null;
        const cpuWritable = !!cpu && cpu.t === 'p' && cpu.w && vmaAt(s, range.pid, vpn)?.prot === 'rw';
        if (e && !e.w && cpuWritable && cpu.page === e.page) gpuMap(env, g, range.pid, vpn, e.page, true);
      }
    }
    return ret(0);
  },
});

export const svmGpuRoIgnored: Driver = {
  ...reference,
  name: 'svm-gpu-ro-ignored',
  summary: 'svm_range driver whose GPU PTE flags ignore the range flag KFD_IOCTL_SVM_FLAG_GPU_RO',
  suite: 'ranges',
  procs: {
    ...reference.procs,
    validate_and_map: mapIgnoringGpuRo,
    validate_and_map_flags: referenceMap,
  },
  broken: {
    bug: 'a range the user set GPU read-only (KFD_IOCTL_SVM_FLAG_GPU_RO) is mapped writable on the GPU wherever the CPU page is writable',
    fix: 'kfd_svm.c svm_range_get_pte_flags: mapping_flags &= ~AMDGPU_VM_PAGE_WRITEABLE for KFD_IOCTL_SVM_FLAG_GPU_RO',
    expects: 'range',
    layer: 'svm_range',
    scenario: [
      'set_attr marks a range GPU read-only; the CPU writes a page of it, a GPU reads it',
      'the GPU PTE is programmed writable from the CPU pte: a later GPU write lands in memory the user made read-only',
    ],
  },
};
