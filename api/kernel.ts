// The core-mm procedures a driver calls, as typed handles (the arguments each takes from its
// caller and the result it returns), for `invoke(kernel.hmmRangeFault, {...}, 'next')`.
import type { HmmReq, HmmResult } from '../model/kernel/hmm.js';
import type { Select, SetupResult } from '../model/kernel/migrate.js';
import type { Callee } from './Callee.js';

const kernelProc = <A extends object, R>(ref: string): Callee<A, R> => ({ ref, result: (r) => r as R });

/** hmm_range_fault()'s arguments: struct hmm_range as the model has it. */
export interface HmmRangeArgs {
  /** The mmu_interval_notifier and the sequence mmu_interval_read_begin() returned. */
  nid: number;
  seq: number;
  pid: number;
  start: number;
  n: number;
  /** Per page: 0 snapshot only, 1 HMM_PFN_REQ_FAULT, 2 REQ_FAULT | REQ_WRITE. */
  req: HmmReq[];
  /** dev_private_owner: device pages of this owner are reported as they are. */
  owner: number;
}

/** migrate_vma_setup()'s arguments: struct migrate_vma as the model has it. */
export interface MigrateVmaArgs {
  pid: number;
  start: number;
  n: number;
  /** pgmap_owner: the device pages selected for MIGRATE_VMA_SELECT_DEVICE_PRIVATE. */
  owner: number;
  /** MIGRATE_VMA_SELECT_SYSTEM / _DEVICE_PRIVATE / _DEVICE_COHERENT. */
  sel: Select;
  /** fault_page: the device page migrate_to_ram was called for, -1 otherwise. */
  faultPage: number;
}

/** The core-mm procedures a driver may call (mm/hmm.c, mm/migrate_device.c). */
export const kernel = {
  /** hmm_range_fault() (mm/hmm.c): snapshot (and fault in) the CPU page table; err '0', 'EBUSY', 'EFAULT', 'EPERM'. */
  hmmRangeFault: kernelProc<HmmRangeArgs, HmmResult>('hmm_range_fault'),
  /** migrate_vma_setup() (mm/migrate_device.c): collect and isolate the pages; err '0' or 'EINVAL'. */
  migrateVmaSetup: kernelProc<MigrateVmaArgs, SetupResult>('migrate_vma_setup'),
  /** migrate_vma_pages() (mm/migrate_device.c): install the destination pages the driver filled in. */
  migrateVmaPages: kernelProc<{ mig: number }, 0>('migrate_vma_pages'),
} as const;
