// The KFD SVM uAPI as a trivially correct per-page model (kfd_ioctl.h, kfd_svm.c): what set_attr
// asked for, page by page, and what get_attr must then report. Drivers keep ranges; this keeps
// pages, so comparing the two checks splitting, merging and transactions without trusting either.
import type { Config, State, SvmAttrs } from './types.js';
import { vmaAt } from './mem.js';
import { filled } from './filled.js';
import { UAPI, mut } from './touched.js';

export const LOC_UNDEFINED = -1;
export const LOC_SYSMEM = 0;
export const FLAG_HOST_ACCESS = 0x1;
export const FLAG_COHERENT = 0x2;
export const FLAG_GPU_RO = 0x8;
export const FLAG_GPU_ALWAYS_MAPPED = 0x40;
/**
 * Pages in a migration-granularity block of log2 size `gran` (0..0x3f): kfd computes it as
 * `1UL << prange->granularity` (svm_range_restore_pages), a 64-bit shift. A JavaScript `1 << gran`
 * is a 32-bit one (negative at 31, 1 again at 32), so blocks are sized here as powers of two in
 * doubles, exact up to 2^63: a block that large covers any range, as in the kernel.
 */
export function granularityPages(gran: number): number {
  return 2 ** gran;
}

/**
 * log2 pages of a new range's migration granularity when the driver names none
 * (Driver.defaultGranularity): 1, a block of two pages. Every granularity in the model, set by the
 * user or by default, is in the kernel's unit, log2 of 4 KiB pages, and get_attr reports it as
 * stored. kfd's default is 9 (svms->default_granularity, 2 MiB), a block larger than this model's
 * address space; the seed-004 reference keeps a block smaller than its ranges, so that a GPU
 * fault's window is a part of the range by default.
 */
export const DEFAULT_GRANULARITY = 1;

export type AttrType =
  'preferred' | 'prefetch' | 'access' | 'aip' | 'noaccess' | 'set_flags' | 'clr_flags' | 'gran';
export interface Attr {
  t: AttrType;
  v: number;
}

export const allGpus = (cfg: Config): number => (1 << cfg.gpus.length) - 1;

/**
 * svm_range_set_default_attributes and svm_range_new: with XNACK on every supported GPU may access
 * a new range, with XNACK off none (kfd_svm.c at 006ad514a50c: bitmap_access is copied from
 * bitmap_supported only when p->xnack_enabled; svm_range_get_attr answers the same for no range);
 * the granularity is the driver's default (svms->default_granularity), kept in the uAPI's state.
 */
export function defaultAttrs(s: Readonly<Pick<State, 'cfg' | 'uapi'>>): SvmAttrs {
  const cfg = s.cfg;
  return {
    preferred: LOC_UNDEFINED,
    prefetch: LOC_UNDEFINED,
    gran: s.uapi.defaultGran ?? DEFAULT_GRANULARITY,
    flags: FLAG_HOST_ACCESS | FLAG_COHERENT,
    access: cfg.xnack === 'off' ? 0 : allGpus(cfg),
    aip: 0,
  };
}

/** svm_range_check_attr: every GPU named must exist (-EINVAL otherwise). */
export function checkAttrs(cfg: Config, attrs: readonly Attr[]): string {
  const gpuOk = (loc: number): boolean => loc >= 1 && loc <= cfg.gpus.length;
  for (const a of attrs) {
    if (a.t === 'preferred' && a.v !== LOC_SYSMEM && a.v !== LOC_UNDEFINED && !gpuOk(a.v)) return 'EINVAL';
    if (a.t === 'prefetch' && a.v !== LOC_SYSMEM && !gpuOk(a.v)) return 'EINVAL';
    if ((a.t === 'access' || a.t === 'aip' || a.t === 'noaccess') && !gpuOk(a.v + 1)) return 'EINVAL';
  }
  return '0';
}

/** A copy of a set of attributes, field by field: a spread of an object of any shape is a slow path. */
export function copyAttrs(a: Readonly<SvmAttrs>): SvmAttrs {
  return {
    preferred: a.preferred,
    prefetch: a.prefetch,
    gran: a.gran,
    flags: a.flags,
    access: a.access,
    aip: a.aip,
  };
}

/** svm_range_apply_attrs on one set of attributes. */
export function applyAttrs(base: SvmAttrs, attrs: readonly Attr[]): SvmAttrs {
  const r = copyAttrs(base);
  for (const a of attrs) {
    const bit = 1 << a.v;
    if (a.t === 'preferred') r.preferred = a.v;
    else if (a.t === 'prefetch') r.prefetch = a.v;
    else if (a.t === 'access') {
      r.access |= bit;
      r.aip &= ~bit;
    } else if (a.t === 'aip') {
      r.access &= ~bit;
      r.aip |= bit;
    } else if (a.t === 'noaccess') {
      r.access &= ~bit;
      r.aip &= ~bit;
    } else if (a.t === 'set_flags') r.flags |= a.v;
    else if (a.t === 'clr_flags') r.flags &= ~a.v;
    else r.gran = Math.min(a.v, 0x3f);
  }
  return r;
}

/** svm_range_is_valid: every page in a VMA (-EFAULT), none in a non-SVM GPU VM mapping (-EADDRINUSE). */
export function rangeValid(s: State, pid: number, start: number, end: number): string {
  if (start >= end) return 'EINVAL';
  for (let v = start; v < end; v++) if (!vmaAt(s, pid, v)) return 'EFAULT';
  for (const [a, b] of s.uapi.gpuvm[pid] ?? []) if ((a ?? 0) < end && start < (b ?? 0)) return 'EADDRINUSE';
  return '0';
}

/** The process's attribute table, created (all unregistered) on first use. */
export function uapiPages(s: State, pid: number): readonly (SvmAttrs | null)[] {
  let t = s.uapi.attrs[pid];
  if (!t) {
    t = filled<SvmAttrs | null>(s.cfg.vaPages, null);
    mut(UAPI, s.uapi.attrs)[pid] = t;
  }
  return t;
}

/** A successful set_attr: every page of the request now carries the attributes applied to what it had. */
export function uapiSetAttr(s: State, pid: number, start: number, end: number, attrs: readonly Attr[]): void {
  const t = uapiPages(s, pid);
  for (let v = start; v < end; v++) {
    const was = t[v];
    const now = applyAttrs(was ?? defaultAttrs(s), attrs);
    // Marked only where something changes: set_attr often reapplies what a page already has.
    if (!was || !sameAttrs(was, now)) mut(UAPI, t)[v] = now;
  }
}

/** Every attribute field: a field added to SvmAttrs does not compile here until it is listed. */
const ATTR_KEYS = Object.keys({
  preferred: 0,
  prefetch: 0,
  gran: 0,
  flags: 0,
  access: 0,
  aip: 0,
} satisfies Record<keyof SvmAttrs, 0>) as (keyof SvmAttrs)[];

/** Whether two sets of attributes are equal, field by field. */
export function sameAttrs(a: Readonly<SvmAttrs>, b: Readonly<SvmAttrs>): boolean {
  for (const k of ATTR_KEYS) if (a[k] !== b[k]) return false;
  return true;
}

/** A GPU fault made a range on its own: those pages now report the default attributes. */
export function uapiRegisterDefault(s: State, pid: number, start: number, end: number): void {
  const t = uapiPages(s, pid);
  // Marked only where something changes: a fault on registered pages writes nothing.
  for (let v = start; v < end; v++) if (t[v] == null) mut(UAPI, t)[v] = defaultAttrs(s);
}

export function uapiUnregister(s: State, pid: number, start: number, end: number): void {
  // A userptr BO's GPU VM mapping outlives munmap (it is freed by its own ioctl), so gpuvm stays.
  const t = s.uapi.attrs[pid];
  if (t) for (let v = start; v < end; v++) if (t[v] !== null) mut(UAPI, t)[v] = null;
}

/** What svm_range_get_attr reports for a query: per page here, per range in the kernel. */
export interface AttrReport {
  preferred: number;
  prefetch: number;
  gran: number;
  flagsAnd: number;
  flagsOr: number;
  access: number;
  aip: number;
}

/** The aggregation rules of svm_range_get_attr over a sequence of attribute sets (ranges or pages). */
export function aggregate(s: Readonly<Pick<State, 'cfg' | 'uapi'>>, sets: readonly SvmAttrs[]): AttrReport {
  const cfg = s.cfg;
  if (sets.length === 0) {
    const d = defaultAttrs(s);
    return {
      preferred: d.preferred,
      prefetch: d.prefetch,
      gran: d.gran,
      flagsAnd: d.flags,
      flagsOr: d.flags,
      access: d.access,
      aip: 0,
    };
  }
  const r: AttrReport = {
    preferred: 0,
    prefetch: 0,
    gran: 0xff,
    flagsAnd: ~0 >>> 0,
    flagsOr: 0,
    access: allGpus(cfg),
    aip: allGpus(cfg),
  };
  let pref: number | null = null;
  let pf: number | null = null;
  for (const a of sets) {
    pref =
      pref === LOC_UNDEFINED
        ? pref
        : a.preferred === LOC_UNDEFINED || (pref !== null && pref !== a.preferred)
          ? LOC_UNDEFINED
          : a.preferred;
    pf =
      pf === LOC_UNDEFINED
        ? pf
        : a.prefetch === LOC_UNDEFINED || (pf !== null && pf !== a.prefetch)
          ? LOC_UNDEFINED
          : a.prefetch;
    r.access &= a.access;
    r.aip &= a.aip;
    r.flagsAnd = (r.flagsAnd & a.flags) >>> 0;
    r.flagsOr |= a.flags;
    r.gran = Math.min(r.gran, a.gran);
  }
  r.preferred = pref ?? LOC_UNDEFINED;
  r.prefetch = pf ?? LOC_UNDEFINED;
  return r;
}

/** The oracle's answer to get_attr over [start, end). */
export function uapiGetAttr(s: State, pid: number, start: number, end: number): AttrReport {
  const t = s.uapi.attrs[pid] ?? [];
  const sets: SvmAttrs[] = [];
  for (let v = start; v < end; v++) {
    const a = t[v];
    if (a) sets.push(a);
  }
  return aggregate(s, sets);
}
