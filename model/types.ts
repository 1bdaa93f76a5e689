// The model's state: plain data only (numbers, strings, arrays, records), so that it can be cloned,
// hashed and serialized canonically. Addresses are virtual page numbers (vpn); physical pages are
// indices into State.phys. Nothing here holds a function or a class instance.
import type { Config, GpuConfig } from './config.js';
import type { SyncState } from './fence/types.js';

export type Prot = 'none' | 'r' | 'rw';

// The scale is inferred from its zod schema (config.ts), its one definition.
export type { Config, GpuConfig };

/** Device memory kind of a GPU: device-private (PCIe: the CPU cannot touch it) or device-coherent (CAPI/CCIX). */
export type DeviceMemKind = GpuConfig['mem'];

/** A physical page: a system page or a ZONE_DEVICE page of one GPU. */
export interface Page {
  /** -1 for a system page, else the GPU that owns this VRAM page. */
  readonly gpu: number;
  readonly free: boolean;
  /** Contents: the value of the last write (0 for a fresh page). */
  readonly data: number;
  /** page refcount: mappings, migration holds, pins and the allocation reference of device pages. */
  readonly ref: number;
  /** Number of CPU page-table entries (present, device-private or migration) that reference the page. */
  readonly map: number;
  /** Pins (get_user_pages FOLL_PIN): a pinned page cannot be migrated. */
  readonly pin: number;
  /** shmem object this page caches, or -1 for anonymous memory. */
  readonly shm: number;
  /** pgmap owner of a device page (the value drivers pass as dev_private_owner / pgmap_owner). */
  readonly owner: number;
  /** zone_device_data: what the driver attached to a device page when it allocated it, -1 if nothing. */
  readonly zdd: number;
  /** PageAnonExclusive: mapped by one process only, so mprotect may make its pte writable again. */
  readonly ax?: boolean;
  /** compound_head(): the head page of the THP this page belongs to; absent for a small page. */
  readonly head?: number;
  /**
   * The CPU whose per-CPU LRU batch holds this system page (folio_test_lru() false until it is
   * drained, model/kernel/lruBatch.ts); absent when on the LRU, or when CPUs are not modelled.
   */
  readonly lru?: number;
}

/** A CPU page-table entry. */
export type Pte =
  | null
  /** present: maps a system page or a device-coherent page; `d` is the dirty bit (set by writes). */
  | { readonly t: 'p'; readonly page: number; readonly w: boolean; readonly d?: boolean }
  /** device-private swap entry: the CPU faults on access and the owner's migrate_to_ram runs. */
  | { readonly t: 'd'; readonly page: number; readonly w: boolean }
  /** migration entry of an in-flight migrate_vma (src page); dst is set once migrate_vma_pages committed it. */
  | {
      readonly t: 'm';
      readonly page: number;
      readonly w: boolean;
      readonly dst: number;
      readonly d?: boolean;
    }
  /**
   * device-exclusive swap entry (make_device_exclusive_range): holds the page reference but no
   * mapcount; a CPU access restores the pte through an MMU_NOTIFY_EXCLUSIVE invalidation.
   */
  | { readonly t: 'x'; readonly page: number; readonly w: boolean };

export interface Vma {
  readonly start: number;
  /** Exclusive end. */
  readonly end: number;
  readonly prot: Prot;
  /** shmem object for MAP_SHARED|MAP_ANONYMOUS, -1 for private anonymous memory. */
  readonly shm: number;
  /** Page offset of `start` inside the shmem object. */
  readonly pgoff: number;
  /** vma->anon_vma: set by the first anonymous page; fork copies only VMAs that have one (copy_page_range). */
  readonly anon?: boolean;
}

export interface Process {
  readonly pid: number;
  /**
   * The mm exists: exit_mmap has not torn it down yet (model/mmUsers.ts). Whether the task still
   * runs is `taskAlive()`; while a driver's mmget pins the mm the two differ.
   */
  readonly alive: boolean;
  /** The task has exited (exit_mm) while mm references keep the mm. Absent while it runs. */
  readonly exited?: boolean;
  /** mm_users reached 0: exit_mmap is pending or running. Absent otherwise. */
  readonly exiting?: boolean;
  /** mm_users taken by mmget/mmget_not_zero beyond the task's own. Absent: none. */
  readonly mmRefs?: number;
  /**
   * The process's user-mode GPU queues are evicted (kgd2kfd_quiesce_mm) this many times over:
   * while > 0 no GPU runs its work (model/queues.ts). Absent: 0, its queues run.
   */
  readonly evicted?: number;
  readonly parent: number;
  /** Sorted, non-overlapping. */
  readonly vmas: readonly Vma[];
  /** One entry per virtual page. */
  readonly pt: readonly Pte[];
  /** The oracle cell holding the expected value of each virtual page, -1 when unmapped. */
  readonly cell: readonly number[];
  /** mm->notifier_subscriptions->invalidate_seq: odd while an invalidation is in progress. */
  readonly mmSeq: number;
  /** active_invalidate_ranges. */
  readonly mmActive: number;
  /** [start, end) ranges whose munmap has removed the VMA but not yet returned from the notifiers. */
  readonly unmapping: readonly (readonly number[])[];
  /** Indices of the pmds that have a page-table page (allocated by the first pte, freed by munmap). */
  readonly pmds?: readonly number[];
  /** Indices of the pmds mapped by a huge pmd (a PMD-mapped THP, model/kernel/thp.ts). */
  readonly hpmd?: readonly number[];
}

/** A shmem object backing shared anonymous mappings: its page cache and its oracle cells. */
export interface Shm {
  readonly pages: readonly number[];
  readonly cells: readonly number[];
  /** Number of VMAs that map it; the object dies with its last mapping. */
  readonly users: number;
}

/** An mmu_interval_notifier. */
export interface Notifier {
  readonly id: number;
  readonly pid: number;
  readonly start: number;
  readonly end: number;
  /** interval_sub->invalidate_seq, written by the driver with mmu_interval_set_seq(). */
  readonly seq: number;
  /** Driver-chosen tag (e.g. which GPU mirror this notifier belongs to). */
  readonly tag: number;
  readonly alive: boolean;
}

/**
 * A GPU page-table entry: the physical page the GPU reaches, whether it may write, and (noAtomic)
 * that the entry's atomic-enable bit is clear, so an atomic access faults (xe's
 * XE_USM_PPGTT_PTE_AE on a system-memory PTE of a discrete device); absent, atomics go as writes.
 */
export type GpuPte = null | { readonly page: number; readonly w: boolean; readonly noAtomic?: true };

/** An oracle cell: the value the program last wrote to a logical memory location. */
export interface Cell {
  readonly v: number;
}

/** One in-flight migrate_vma (between migrate_vma_setup and migrate_vma_finalize). */
export interface Migration {
  id: number;
  pid: number;
  start: number;
  owner: number;
  /** Per page of the range. */
  src: MigratePfn[];
  /** Destination page per page of the range, -1 for none (set by the driver before migrate_vma_pages). */
  dst: number[];
  /** The page of a CPU fault that started this migration (do_swap_page), -1 if none. */
  faultPage: number;
  done: boolean;
  /** migrate->cpages after migrate_vma_setup: pages collected for migration. */
  cpages: number;
  /** The fault-injection entry this migration drew at setup (bits 8+i fail page i in migrate_vma_pages). */
  fault: number;
}

/** migrate->src[i]: the collected source page (-1 for a none or zero-page entry) and its flags. */
export interface MigratePfn {
  page: number;
  migrate: boolean;
  w: boolean;
  /** The entry was collected as none/zero: migrate_vma_pages inserts into an empty (or zero-page) pte. */
  hole: boolean;
  /**
   * MIGRATE_PFN_COMPOUND: the entry stands for a whole PMD (a large folio headed by `page`, or a
   * PMD-sized hole); the pmd's other entries are 0 (model/kernel/migrateCompound.ts).
   */
  compound?: boolean;
}

/** What an activity is waiting for before its current step can run. */
export type Wait =
  | { k: 'lock'; name: string; mode: 'r' | 'w' }
  /** Wait until nobody holds the lock (migration_entry_wait on a locked page). */
  | { k: 'unlocked'; name: string }
  /** mmu_interval_read_begin sleeping while an invalidation covering the notifier runs. */
  | { k: 'notifier'; id: number }
  /** A counter in State.counters reaching a value (pending faults drained, queues restored, ...). */
  | { k: 'counter'; key: string; until: number }
  /** dma_fence_wait(): until the fence signals. */
  | { k: 'fence'; id: number };

export interface Frame {
  fn: string;
  pc: string;
  /** Locals of the procedure: plain data. */
  l: Record<string, unknown>;
  /** Return value of the last call made from this frame. */
  r: unknown;
}

export interface Activity {
  id: number;
  /** Who runs it: 'cpu0', 'gpu1', ... */
  agent: string;
  /** Index of the program operation that started it, -1 for spawned work. */
  op: number;
  frames: Frame[];
  wait: Wait | null;
  /** Locks held, in acquisition order. */
  held: string[];
  /** Last yield was a retry loop: the default schedule prefers other work. */
  spin: boolean;
  /**
   * The CPU this activity keeps while it runs kernel code it cannot be preempted in (model/cpus.ts),
   * -1 when it holds none: it then needs a free CPU to run.
   */
  cpu: number;
  /** The CPU a per-CPU work item was queued on (it runs only there), -1 for any CPU. */
  bound: number;
}

export interface LockState {
  /** Activity id of the writer / exclusive holder, -1 if none. */
  w: number;
  /** Activity ids of readers. */
  r: number[];
}

/** SVM range attributes of one page, as the KFD uAPI defines them (kfd_ioctl.h). */
export interface SvmAttrs {
  /** -1 undefined, 0 system memory, g + 1 for GPU g (its gpu_id). */
  preferred: number;
  prefetch: number;
  /** log2 of the migration granularity in pages. */
  gran: number;
  flags: number;
  /** Bitmaps over GPU indices. */
  access: number;
  aip: number;
}

export interface Uapi {
  /** Per process, per virtual page: the attributes set_attr gave it, or null when not registered. */
  readonly attrs: Readonly<Record<number, readonly (Readonly<SvmAttrs> | null)[]>>;
  /** Per process: [start, end) ranges mapped into the GPU VM by non-SVM means (KFD userptr BOs). */
  readonly gpuvm: Readonly<Record<number, readonly (readonly number[])[]>>;
  /** set_attr calls in progress: until they return, a page may show its old or its new attributes. */
  readonly inflight: ReadonlyArray<{
    readonly act: number;
    readonly pid: number;
    readonly start: number;
    readonly end: number;
    readonly attrs: ReadonlyArray<{ readonly t: string; readonly v: number }>;
    readonly before: string;
  }>;
  /**
   * The driver's default migration granularity (Driver.defaultGranularity: kfd's
   * svms->default_granularity), log2 4 KiB pages: what a new range gets and get_attr reports for
   * memory no range covers. Absent: DEFAULT_GRANULARITY (model/uapi.ts).
   */
  readonly defaultGran?: number;
}

export interface State {
  cfg: Config;
  /** Value counter: every write stores a fresh value, so stale data never looks current by accident. */
  writeSeq: number;
  readonly phys: readonly Page[];
  /** First phys index of each GPU's VRAM. */
  vramBase: number[];
  readonly procs: readonly Process[];
  readonly shms: readonly Shm[];
  readonly cells: readonly Cell[];
  readonly notifiers: readonly Notifier[];
  /** gpuPt[gpu][pid][vpn] */
  readonly gpuPt: readonly (readonly (readonly GpuPte[])[])[];
  migrations: Migration[];
  nextMig: number;
  locks: Record<string, LockState>;
  acts: Activity[];
  nextAct: number;
  /** Fault-injection entries consumed so far. */
  faultIdx: number;
  /** The driver's private bookkeeping (plain data, driver-defined). */
  drv: unknown;
  /** Device pages whose refcount just reached zero: the driver's page_free runs for each right after the step's handler. */
  pagesToFree: number[];
  /** Device pages re-initialised while still referenced, since the last check (cleared by the executor). */
  reinitialised: number[];
  /** Named counters that activities can wait on (see Wait 'counter'). Zero entries are deleted. */
  counters: Record<string, number>;
  /** The uAPI's ghost state: what the program asked for, to check drivers against (model/uapi.ts). */
  readonly uapi: Uapi;
  /** Fences, jobs and buffer objects (model/fence/). */
  readonly sync: SyncState;
}
