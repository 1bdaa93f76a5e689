// The plug-in boundary: a driver is an object that implements the kernel callbacks as procedures
// over the model's state. The model calls them; the driver calls back into the model's kernel API
// (hmm_range_fault, migrate_vma_*, notifier helpers). A user's driver module exports one of these.
import type { Proc } from './proc.js';
import type { Config } from './types.js';

/** Families of invariants; a deliberately broken driver names the family it is expected to break. */
export type InvariantClass = 'coherence' | 'mirror' | 'memory-safety' | 'progress';

export interface BrokenInfo {
  /** The bug class, in a sentence. */
  bug: string;
  /** The upstream fix this mirrors, when there is one. */
  fix: string;
  expects: InvariantClass;
}

/**
 * Entry points the model invokes, each a procedure taking named arguments:
 * - gpu_fault {gpu, pid, vpn, write} -> 0 | errno string (recoverable GPU page fault)
 * - migrate_to_ram {page, pid, vpn} -> 0 | 'SIGBUS' (dev_pagemap_ops.migrate_to_ram, from do_swap_page)
 * - invalidate {nid, tag, pid, start, end, event, owner, seq} -> true (mmu_interval_notifier_ops.invalidate)
 * - migrate {gpu, pid, start, n, to} -> 0 | errno string (a user request: prefetch / migrate ioctl)
 */
export const DRIVER_ENTRY_POINTS = ['gpu_fault', 'migrate_to_ram', 'invalidate', 'migrate'] as const;
export type DriverEntryPoint = (typeof DRIVER_ENTRY_POINTS)[number];

export interface Driver {
  name: string;
  summary: string;
  broken?: BrokenInfo;
  /** The driver's private bookkeeping at start (plain data). */
  init(cfg: Config): unknown;
  /** dev_pagemap owner of the GPU's device pages (what hmm_range_fault / migrate_vma compare). */
  pgmapOwner(cfg: Config, gpu: number): number;
  procs: Record<DriverEntryPoint, Proc> & Record<string, Proc>;
}

export const driverProcName = (name: string): string => `drv:${name}`;
