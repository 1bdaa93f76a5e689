// Which regions of the state the current step wrote. The state's memory-management parts and its
// fences and jobs are readonly in their types (model/types.ts, model/fence/types.ts), so every write goes through mut(), which marks its
// region: the compiler finds a write that does not. The driver's private state is marked by the
// driver's accessor driverState() (any access through it counts as a write; views and queries
// that change nothing use driverStateView()). The executor clears the marks before a
// step and skips the invariants that read only unmarked regions: they passed after the last step,
// and nothing they read has changed since (test/touched.test.ts checks both sides of that claim).

import type { State } from './types.js';

/** struct page fields (State.phys). */
export const PAGES = 1;
/** Processes: VMAs, CPU page tables, oracle cell indices, notifier sequence, unmapping ranges; shmem objects. */
export const MM = 2;
/** GPU page tables (State.gpuPt). */
export const GPU = 4;
/** Oracle cells (State.cells). */
export const CELLS = 8;
/** The driver's private state (State.drv). */
export const DRV = 16;
/** The uAPI ghost state (State.uapi). */
export const UAPI = 32;
/** Fences, jobs and the buffer objects' reservations (State.sync). */
export const SYNC = 64;
/** mmu_interval_notifiers (State.notifiers): their own region, as no invariant reads them. */
export const NOTIFIERS = 128;
/** Every region: what a state nobody has checked yet counts as. */
export const ALL_REGIONS = 255;

export type Region = 'pages' | 'mm' | 'gpu' | 'cells' | 'drv' | 'uapi' | 'sync' | 'notifiers';

export const REGION_BITS: Readonly<Record<Region, number>> = {
  pages: PAGES,
  mm: MM,
  gpu: GPU,
  cells: CELLS,
  drv: DRV,
  uapi: UAPI,
  sync: SYNC,
  notifiers: NOTIFIERS,
};

/** The State fields each region is: what a mark covers (the explorer encodes each region's fields as one segment). */
export const REGION_FIELDS: Readonly<Record<Region, readonly (keyof State)[]>> = {
  pages: ['phys'],
  mm: ['procs', 'shms'],
  gpu: ['gpuPt'],
  cells: ['cells'],
  drv: ['drv'],
  uapi: ['uapi'],
  sync: ['sync'],
  notifiers: ['notifiers'],
};

/**
 * State outside the write-marked regions, as an invariant may read it: the lock table, the named
 * counters, the migrations in flight, the pages re-initialised or to free this step, which
 * activities exist (`acts`) and each activity field (`acts.wait`, ...). No mark says which steps
 * write these, so an invariant that reads one is checked after every step; declaring it
 * (Invariant.readsUnmarked) makes its whole footprint known, for the independence of steps
 * (test/touched.test.ts holds the declaration to what check() reads).
 */
export const UNMARKED_READS = [
  'locks',
  'counters',
  'migrations',
  'reinitialised',
  'pagesToFree',
  'acts',
  'acts.id',
  'acts.agent',
  'acts.op',
  'acts.frames',
  'acts.wait',
  'acts.held',
  'acts.spin',
  'acts.cpu',
  'acts.bound',
] as const;

export type UnmarkedRead = (typeof UNMARKED_READS)[number];

/** The marks of the step running now (one model step runs at a time in a thread). */
export const touched = { bits: ALL_REGIONS };

/** Writable view of a readonly record or array. */
export type Mutable<T> = T extends ReadonlyArray<infer U> ? U[] : { -readonly [K in keyof T]: T[K] };

/** Marks `region` written and returns `x` writable: the one way to write the tracked state. */
export function mut<T>(region: number, x: T): Mutable<T> {
  touched.bits |= region;
  return x as Mutable<T>;
}

/** The driver's private state (State.drv), marked written: drivers reach it only through here. */
export function driverState<T>(s: { readonly drv: unknown }): T {
  touched.bits |= DRV;
  return s.drv as T;
}

/**
 * The driver's private state without a mark, for code that only builds views of it (the ranges and
 * BOs invariants and the uAPI read): a query that wrote nothing must not look like a write.
 */
export function driverStateView<T>(s: { readonly drv: unknown }): Readonly<T> {
  return s.drv as T;
}
