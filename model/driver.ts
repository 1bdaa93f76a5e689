// The plug-in boundary: a driver is an object that implements the kernel callbacks as procedures
// over the model's state. The model calls them; the driver calls back into the model's kernel API
// (hmm_range_fault, migrate_vma_*, notifier helpers). A user's driver module exports one of these.
import type { KernelPatch } from './kernelPatch.js';
import type { KernelVersion } from './kernelVersion.js';
import type { OpenFindingEntry } from './openFinding.js';
import type { Env, Proc } from './proc.js';
import type { Config, State, SvmAttrs } from './types.js';

/** Families of invariants; a deliberately broken driver names the family it is expected to break. */
/**
 * The mission's property families: CPU/GPU coherence (mirror and values), memory safety, range
 * structure, refcounting, progress (livelock), deadlock (actual and potential), the fence rules
 * of seed 003, and access (a permitted access is served: no spurious SIGBUS or fatal GPU fault).
 */
export type InvariantClass =
  | 'coherence'
  | 'memory-safety'
  | 'range'
  | 'refcount'
  | 'progress'
  | 'deadlock'
  | 'fence'
  | 'access'
  | 'teardown';

/** Where in the subsystem a catalogued bug lives. */
export type CatalogLayer =
  | 'core-mm'
  | 'hmm-mirror'
  | 'svm_range'
  | 'mixed-mappings'
  | 'vram-bo'
  | 'fences-locks'
  | 'multi-gpu'
  | 'fork-cow';

export interface BrokenInfo {
  /** The bug class, in a sentence. */
  bug: string;
  /** The upstream fix this mirrors (subject line, commit id where known), or the design rule it breaks. */
  fix: string;
  expects: InvariantClass;
  layer: CatalogLayer;
  /** Two lines: the faulty behaviour as an operation sequence. */
  scenario: readonly [string, string];
  /**
   * Set when the entry is not a mutation but upstream's shipped behaviour, kept beside a driver
   * that departs from it: the tree it was read at (e.g. 'torvalds/linux 057ad0ef4da6'). Its
   * failures are real kernel bugs, archived with status `open` (must fail until upstream is fixed).
   */
  upstream?: string;
  /**
   * The Linux release the bug shows on, for a bug that needs a core-mm rule of some releases only
   * (selfcheck runs the entry there); absent: the model's default release.
   */
  kernel?: KernelVersion;
}

/**
 * Entry points the model invokes, each a procedure taking named arguments:
 * - gpu_fault {gpu, pid, vpn, write} -> 0 | errno string (recoverable GPU page fault)
 * - migrate_to_ram {page, pid, vpn} -> 0 | 'SIGBUS' (dev_pagemap_ops.migrate_to_ram, from do_swap_page)
 * - invalidate {nid, tag, pid, start, end, event, owner, seq} -> true (mmu_interval_notifier_ops.invalidate)
 * - migrate {gpu, pid, start, n, to} -> 0 | errno string (a user request: prefetch / migrate ioctl)
 * Optional, for drivers with the KFD SVM uAPI:
 * - set_attr {pid, start, end, attrs} -> {err, applied}; get_attr {pid, start, end} -> {err, report}
 * Optional, for drivers with command submission and fences (model/fence/):
 * - submit {gpu, engine, pid, vpn, write, svm, bo, dep} -> job id | errno string: choose the fence
 *   kind and engine resources, reserve and validate buffers, publishJob()
 * - run_job {job} -> 0: drm_sched_backend_ops.run_job, in the job fence's signalling path
 * - shrink {} -> 0: the driver's shrinker, run by direct reclaim with fs_reclaim held
 */
export const DRIVER_ENTRY_POINTS = ['gpu_fault', 'migrate_to_ram', 'invalidate', 'migrate'] as const;
export type DriverEntryPoint = (typeof DRIVER_ENTRY_POINTS)[number];

/** How a range-based driver's bookkeeping looks, for invariants that check it against the uAPI and hardware. */
export interface RangeView {
  start: number;
  last: number;
  readonly attrs: Readonly<SvmAttrs>;
  /** Per page: the GPUs (bitmap) the driver believes hold a valid PTE it programmed and nobody invalidated since. */
  readonly mapped: readonly number[];
  /** Deferred work pending on the range: 'unmap' ranges are on their way out. */
  pending: 'none' | 'unmap' | 'add' | 'update';
  /** XNACK off (amdkfd): evictions of the range not yet restored (prange->invalid); absent: 0. */
  readonly invalid?: number;
}

export interface Driver {
  name: string;
  /**
   * Core procedures replaced for this driver's runs: a proposed mm change (--kernel-patch), or the
   * core-mm bug a catalog entry runs on (kernel-swap-without-ref).
   */
  kernelPatch?: KernelPatch;
  summary: string;
  broken?: BrokenInfo;
  /** The driver's private bookkeeping at start (plain data). */
  init(cfg: Config): unknown;
  /** dev_pagemap owner of the GPU's device pages (what hmm_range_fault / migrate_vma compare). */
  pgmapOwner(cfg: Config, gpu: number): number;
  procs: Record<DriverEntryPoint, Proc> & Record<string, Proc>;
  /** The suite `svmcheck run` uses for this driver when none is given (default: 'default'). */
  suite?: string;
  /**
   * The driver follows Config.xnack (amdkfd: XNACK on and off). Others model recoverable GPU faults
   * only, and a configuration with XNACK off is refused for them.
   */
  xnack?: boolean;
  /**
   * KFD SVM uAPI drivers: log2 4 KiB pages of a new range's migration granularity, what get_attr
   * reports for memory no range covers (kfd: svms->default_granularity, 9). Absent: 1
   * (DEFAULT_GRANULARITY in model/uapi.ts).
   */
  defaultGranularity?: number;
  /**
   * A model of shipped code (kfd, xe): the upstream behaviour it is known to reproduce, each an
   * archived case with status open and a predicate that recognises it in a failed run
   * (model/openFinding.ts). A run it explains is known (soak tallies it, selfcheck's reference
   * check does not fail on it); any other failure, of the same invariant too, still fails. A plain
   * invariant name takes every violation of that invariant as known.
   */
  openFindings?: readonly OpenFindingEntry[];
  /** Range-based drivers: their ranges of a process (svm_range list), in address order. */
  ranges?(s: State, pid: number): RangeView[];
  /**
   * dev_pagemap_ops.page_free: a device page's refcount reached zero. It runs wherever the last
   * put_page happened, so it is a plain function: it cannot block (defer work with spawn()).
   */
  pageFree?(env: Env, page: number): void;
  /** Drivers that manage VRAM in buffer objects: their BOs, for the refcount invariants. */
  bos?(s: State): BoView[];
  /**
   * KASAN-style lifetime (driver-object-lifetime): the pointers between the driver's objects, and
   * from the kernel's lists and registrations to them (a registered mmu_interval_notifier to the
   * object it is embedded in, a work list to its entries, a child to its parent), each saying
   * whether its target is still allocated. A pointer to a freed object is touched the next time
   * its holder is used (an invalidation, the worker's next pass): that is the finding.
   */
  refs?(s: State): DriverRef[];
  /**
   * Refcounted driver objects (a kref each) and the holders of their references, for
   * kref-accounting (xe: its drm_pagemaps). An object whose kref is 0 may still be listed: a
   * released drm_pagemap parked in its cache for the shrinker is allocated and unused.
   */
  krefs?(s: State): KrefView[];
}

/** A refcounted driver object as kref-accounting sees it. */
export interface KrefView {
  /** The object, in kernel terms ('drm_pagemap 3 (gpu1)'). */
  object: string;
  kref: number;
  /** Who holds each counted reference, one entry per reference ('xe_vm (gpu1, pid 0) svm.pagemaps'). */
  readonly holders: readonly string[];
  /** Its destruction has begun (released for good: being freed, e.g. by deferred work). */
  destroyed: boolean;
}

/** One pointer a driver object, list or registration holds to a driver object. */
export interface DriverRef {
  /** The holder, in kernel terms ('mmu_interval_notifier 3', 'svms->deferred_range_list'). */
  holder: string;
  /** The object pointed to ('svm_range 5'). */
  target: string;
  /** The target is still allocated. */
  live: boolean;
}

/** A VRAM buffer object as the refcount invariants see it. */
export interface BoView {
  id: number;
  gpu: number;
  /** The VRAM pages (phys indices) the BO reserves. */
  readonly slots: readonly number[];
  ref: number;
  /** live, releasing (last reference gone, release work pending) or freed. */
  state: 'live' | 'releasing' | 'freed';
  evicting: boolean;
  /** Still holds its VRAM (an evicted BO gave it back but lives on while references remain). */
  vram: boolean;
  /** Ranges holding the BO's VRAM node (one reference each). */
  nodeHolders: number;
}

const procNames = new Map<string, string>();
/** The procedure-table name of a driver entry point (built once: steps ask for it). */
export const driverProcName = (name: string): string => {
  let n = procNames.get(name);
  if (n === undefined) procNames.set(name, (n = `drv:${name}`));
  return n;
};
