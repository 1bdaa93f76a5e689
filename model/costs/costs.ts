// What a run cost, as the model counted it (model/costs/CostCounter.ts): the figures the
// fault-policy debates of seeds 000 and 002 argue about by hand. One page is 4 KiB (the model's
// page-table geometry, model/kernel/pmd.ts).

/** The model's page size in bytes: x86-64's 4 KiB base page. */
export const PAGE_BYTES = 4096;

/**
 * The run statistic (proc.ts count) of pages whose data a migrate_vma copied, counted where
 * migrate_vma_finalize installs them (model/kernel/migrate.ts): a move from one GPU's VRAM to
 * another's through system memory (kfd's svm_migrate_vram_to_vram) copies twice.
 */
export const COPIED_STAT = 'pages copied by migrate_vma';

/** A page is counted as ping-ponging when it migrated more than this many times in one run. */
export const PING_PONG_K = 2;

export interface Costs {
  /** GPU page faults raised (gpu_access found no usable GPU pte). */
  readonly gpuFaults: number;
  /** CPU page faults taken (cpu_access entered handle_mm_fault). */
  readonly cpuFaults: number;
  /** Pages whose contents moved from system memory (or a hole) to a GPU's VRAM. */
  readonly pagesToDev: number;
  /** Pages whose contents moved from a GPU's VRAM back to system memory. */
  readonly pagesToSys: number;
  /** Pages whose contents moved from one GPU's VRAM to another's. */
  readonly pagesDevToDev: number;
  /**
   * Bytes the migrations copied: every page migrate_vma moved with data (COPIED_STAT), so a hole
   * migrated to VRAM copies nothing and a move through system memory copies twice.
   */
  readonly bytesCopied: number;
  /** Distinct pages migrated to a GPU that no GPU read or wrote during the run. */
  readonly untouchedToDev: number;
  /** Distinct pages that migrated more than PING_PONG_K times. */
  readonly pingPong: number;
  /** MMU notifier callbacks run (model/kernel/invalidate.ts's notify events). */
  readonly invalidations: number;
  /** Activity-steps spent blocked on a lock (mmap_lock, svms->lock, ...), summed over activities. */
  readonly lockWaitSteps: number;
}

export type CostKey = keyof Costs;

/** The costs in the order tables and charts show them, with their labels. */
export const COST_KEYS: readonly { readonly key: CostKey; readonly label: string }[] = [
  { key: 'gpuFaults', label: 'GPU faults' },
  { key: 'cpuFaults', label: 'CPU faults' },
  { key: 'pagesToDev', label: 'pages to VRAM' },
  { key: 'pagesToSys', label: 'pages to RAM' },
  { key: 'pagesDevToDev', label: 'pages VRAM to VRAM' },
  { key: 'bytesCopied', label: 'bytes copied' },
  { key: 'untouchedToDev', label: 'migrated, GPU never touched' },
  { key: 'pingPong', label: `ping-pong (> ${PING_PONG_K} moves)` },
  { key: 'invalidations', label: 'notifier invalidations' },
  { key: 'lockWaitSteps', label: 'lock-blocked steps' },
];
