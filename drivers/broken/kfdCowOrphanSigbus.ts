// Upstream kfd's svm_migrate_to_ram when the process that migrated a page to VRAM has exited while a
// fork child still maps the page copy-on-write: mmget_not_zero(svm_bo->eviction_fence->mm) fails and
// the child's CPU access ends in VM_FAULT_SIGBUS, for memory that is the child's own (kfd_migrate.c,
// read at torvalds/linux 057ad0ef4da6; the same check since "drm/amdkfd: handle CPU fault on COW
// mapping"). Not fixed upstream as of that commit: a kernel finding of issue 17's soak, kept here as
// kfd behaves; the reference driver (seed 004's design) migrates the faulting page alone instead.
import type { Driver } from '../../model/driver.js';
import { driverProcName } from '../../model/driver.js';
import { call, defineProc, ret } from '../../model/proc.js';
import { reference } from '../reference.js';
import { boById } from '../svm/svmBo.js';

const mmgetOrSigbus = defineProc<{ page: number; pid: number; vpn: number }>('migrate_to_ram', {
  start(env, l) {
    const bo = boById(env.s, env.s.phys[l.page]?.zdd ?? -1);
    // svm_bo->eviction_fence->mm has no users left once its process exited.
    if (bo && !env.s.procs[bo.pid]?.alive) return ret('SIGBUS');
    return call(driverProcName('migrate_to_ram_reference'), { page: l.page, pid: l.pid, vpn: l.vpn }, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});

export const kfdCowOrphanSigbus: Driver = {
  ...reference,
  name: 'kfd-cow-orphan-sigbus',
  summary:
    "svm_range driver whose migrate_to_ram gives SIGBUS when the page's BO belongs to a process that has exited (upstream kfd)",
  suite: 'fork',
  procs: {
    ...reference.procs,
    migrate_to_ram: mmgetOrSigbus,
    migrate_to_ram_reference: reference.procs.migrate_to_ram,
  },
  broken: {
    bug: "a fork child's CPU access to a page its exited parent had migrated to VRAM ends in SIGBUS: svm_migrate_to_ram finds no mm behind the page's svm_bo",
    fix: 'none upstream as of torvalds/linux 057ad0ef4da6 (kfd_migrate.c svm_migrate_to_ram: mmget_not_zero(svm_bo->eviction_fence->mm) or VM_FAULT_SIGBUS); the reference driver migrates the faulting page alone in the faulting mm, as dmirror and nouveau do',
    expects: 'access',
    layer: 'fork-cow',
    upstream: 'torvalds/linux 057ad0ef4da6',
    scenario: [
      'the parent migrates a page to VRAM and forks: the child maps the device-private page copy-on-write',
      "the parent exits; the child's CPU access faults, svm_migrate_to_ram's mmget_not_zero fails: SIGBUS",
    ],
  },
};
