// A CPU fault in a fork child on a device-private page its parent's range migrated to VRAM. The
// page's owner is the BO's process (svm_bo->eviction_fence->mm); this variant looks the range up
// in the faulting process instead (kfd_lookup_process_by_mm(vmf->vma->vm_mm)), as kfd_migrate.c's
// svm_migrate_to_ram did before "drm/amdkfd: handle CPU fault on COW mapping": the child has no
// range there, and the fault ends in VM_FAULT_SIGBUS. Today's code (read at torvalds/linux
// 057ad0ef4da6, kfd_migrate.c) takes mm from the BO and logs "addr is COW mapping in child process".
import type { Driver } from '../../model/driver.js';
import { driverProcName } from '../../model/driver.js';
import { call, defineProc, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { rangeFromAddrView } from '../svm/svmState.js';

const byFaultingMm = defineProc<{ page: number; pid: number; vpn: number }>('migrate_to_ram', {
  start(env, l) {
    // The faulting process's own svms: a fork child's has no range over its parent's pages.
    if (!rangeFromAddrView(env.s, l.pid, l.vpn)) return ret('SIGBUS');
    return call(driverProcName('migrate_to_ram_by_bo'), { page: l.page, pid: l.pid, vpn: l.vpn }, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});

export const svmCowChildSigbus: Driver = {
  ...reference,
  name: 'svm-cow-child-sigbus',
  summary:
    "svm_range driver whose migrate_to_ram looks the range up in the faulting process, not the page's BO owner",
  suite: 'fork',
  procs: {
    ...reference.procs,
    migrate_to_ram: byFaultingMm,
    migrate_to_ram_by_bo: reference.procs.migrate_to_ram,
  },
  broken: {
    bug: "a fork child's CPU fault on a device-private page its parent migrated to VRAM finds no range in the child's svms and ends in SIGBUS",
    fix: 'drm/amdkfd: "handle CPU fault on COW mapping" (svm_migrate_to_ram takes the mm from svm_bo->eviction_fence, kfd_migrate.c)',
    expects: 'access',
    layer: 'fork-cow',
    scenario: [
      'a range is migrated to VRAM; the process forks, the child shares the device-private entries COW',
      "the child's CPU read faults; migrate_to_ram looks in the child's svms, finds no range: SIGBUS",
    ],
  },
};
