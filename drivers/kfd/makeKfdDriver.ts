// amdkfd's SVM as it ships (kfd_svm.c, kfd_migrate.c at 006ad514a50c), beside the reference (seed
// 004's design): the svm family's ranges, migration, validation and deferred list, with kfd's
// VRAM BOs (one per whole range, svm_range_vram_node_new; TTM eviction walking svm_bo->range_list,
// svm_range_evict_svm_bo_worker; prange->migrate_mutex around a range's migrations), kfd's
// own invalidation (svm_range_evict: XNACK off stops the queues and restore_work revalidates and
// resumes them; XNACK on unmaps the whole overlap for every event but munmap), set_attr mapping
// (svm_range_trigger_migration, the validate_and_map bitmap) and teardown (svm_range_list_fini).
import type { Driver } from '../../model/driver.js';
import type { Proc } from '../../model/proc.js';
import { makeSvmDriver } from '../svm/makeSvmDriver.js';
import type { SvmDesign } from '../svm/svmDesign.js';
import type { SvmState } from '../svm/svmState.js';
import { kfdEvictSvmBo } from './kfdEvictSvmBo.js';
import { kfdInvalidate } from './kfdInvalidate.js';
import { kfdListFini } from './kfdListFini.js';
import { kfdPrefetch } from './kfdPrefetch.js';
import { kfdMigrate } from './kfdMigrateToVram.js';
import { kfdRestorePages } from './kfdRestorePages.js';
import { kfdRestoreWork } from './kfdRestoreWork.js';
import { kfdSetAttr } from './kfdSetAttr.js';
import { kfdRangeViews, type KfdState } from './kfdState.js';
import { kfdMigrateVma } from './kfdVramNode.js';
import { KFD_OPEN_FINDINGS } from './kfdOpenFindings.js';

/**
 * The kfd driver, named `name`: Config.xnack chooses XNACK on or off. `geometry` is the range cap
 * (SvmDesign.maxRangePages: the cost policies of `svmcheck compare` give it unscaled).
 */
export function makeKfdDriver(
  name: string,
  summary: string,
  geometry: Pick<SvmDesign, 'maxRangePages'> = {},
): Omit<Driver, 'broken'> {
  // svm_range_map_to_gpu (kfd_svm.c at 006ad514a50c): the PTE's write bit from the VMA and GPU_RO.
  const base = makeSvmDriver(name, summary, { ...geometry, pteWriteFromVma: true });
  return {
    ...base,
    xnack: true,
    // svm_range_list_init (kfd_svm.c at 8f8cc3fb4350): svms->default_granularity =
    // min(amdgpu_svm_default_granularity, 0x1B), the module parameter's default 9 (2 MiB), which
    // svm_range_set_default_attributes gives every new range and get_attr reports for no range.
    defaultGranularity: 9,
    // Upstream behaviour, archived open (counterexamples/kfd-*): set_attr leaves the PTEs of a GPU
    // that lost access ("TODO: unmap ranges from GPU that lost access"), which
    // svm_range_unmap_from_gpus never clears either; the GPU page tables of an exited process
    // outlive exit_mmap until kfd_process_wq_release; and with XNACK on, restore_work revalidates a
    // GPU_ALWAYS_MAPPED range only on its in-place and VRAM GPUs, leaving another GPU's PTE to the
    // system page a fault migration freed. A PTE is writable by VM_WRITE alone (svm_range_map_to_gpu),
    // while hmm_range_fault reports our own device-private page read-only after fork or mprotect
    // without faulting it for write: the GPU may write a page shared COW with a child
    // (mirror-consistency with XNACK on, xnack-off-restore-fresh with it off). With XNACK off, a
    // range that only covers PROT_NONE pages is never mapped_to_gpu, so svm_range_evict ignores the
    // mprotect that makes them readable and restore_work resumes the queues without mapping them
    // (xnack-off-mapped, counterexamples/kfd-f8338d3890b0); a range unmapped whole for PROT_NONE
    // loses mapped_to_gpu the same way, and the GPU's access after mprotect(PROT_READ|PROT_WRITE) is
    // fatal (permitted-access-served, counterexamples/kfd-c91a4b6b6515).
    openFindings: KFD_OPEN_FINDINGS,
    init: (cfg): KfdState => ({
      ...(base.init(cfg) as SvmState),
      evictedRanges: [],
      restorePending: [],
      fini: [],
    }),
    ranges: kfdRangeViews,
    procs: {
      ...base.procs,
      gpu_fault: kfdRestorePages(base.procs.gpu_fault),
      invalidate: kfdInvalidate,
      set_attr: kfdSetAttr(base.procs['set_attr'] as Proc),
      restore_work: kfdRestoreWork,
      list_fini: kfdListFini,
      svm_migrate: kfdMigrate(base.procs['svm_migrate'] as Proc),
      svm_migrate_vma: kfdMigrateVma(base.procs['svm_migrate_vma'] as Proc),
      evict_bo: kfdEvictSvmBo,
      migrate: kfdPrefetch(base.procs.migrate),
    },
  };
}
