// A workload as the compiler (compileWorkload.ts) sees it: the VMAs it maps, in address order, and
// what it does, step by step, naming memory by VMA index and page offset. A policy turns it into a
// Program (its set_attr calls, prefetches). Objects are kept so that reports can say what a page held.

/** Where an access or a range lands: the `vma`-th VMA (in address order) of the process. */
export interface PageRef {
  readonly proc: number;
  readonly vma: number;
  readonly off: number;
}

export type PlanStep =
  /**
   * A CPU load or store by thread `on`; `during`: while the GPU phase it is placed in runs (a thread
   * that goes on with its own objects while the kernel runs), not after it.
   */
  | ({ readonly k: 'cpu'; readonly on: number; readonly write: boolean; readonly during?: true } & PageRef)
  /** A GPU load or store. */
  | ({ readonly k: 'gpu'; readonly gpu: number; readonly write: boolean } & PageRef)
  /** A GPU phase (a kernel launch) starts: the pages it will touch, for prefetching policies. */
  | { readonly k: 'launch'; readonly gpu: number; readonly proc: number; readonly pages: readonly PageRef[] }
  /** The application's preferred-location hint for a range (seed 002): GPU `gpu`. */
  | ({ readonly k: 'prefer'; readonly on: number; readonly len: number; readonly gpu: number } & PageRef)
  /**
   * A short-lived mapping (malloc of MMAP_THRESHOLD or more) by thread `on`, `during` a GPU phase
   * or not: it is VMA number `vmas.length` (first fit puts it after the plan's VMAs) until unmapped.
   */
  | {
      readonly k: 'mmap';
      readonly on: number;
      readonly proc: number;
      readonly pages: number;
      readonly during?: true;
    }
  /** free() of that mapping: munmap. */
  | {
      readonly k: 'munmap';
      readonly on: number;
      readonly proc: number;
      readonly pages: number;
      readonly during?: true;
    }
  | { readonly k: 'fork'; readonly on: number; readonly proc: number }
  | { readonly k: 'exit'; readonly on: number; readonly proc: number };

export interface PlanVma {
  readonly pages: number;
  /**
   * PROT_NONE pages reserved after it (a thread arena: glibc maps HEAP_MAX_SIZE PROT_NONE and
   * mprotects the part in use): the reservation becomes a VMA of its own right after this one.
   */
  readonly reserve: number;
  /** What the VMA is, for reports: "brk heap", "thread arena", "mmap 192 KiB buffer". */
  readonly what: string;
}

export interface WorkloadPlan {
  readonly vmas: readonly PlanVma[];
  readonly steps: readonly PlanStep[];
  readonly gpus: number;
  /** Hive of each GPU: equal hives reach each other's VRAM (XGMI). */
  readonly hives: readonly number[];
}
