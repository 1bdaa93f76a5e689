// Transparent huge pages: PMD-mapped folios of pmdPages(cfg) pages (kernel/pmd.ts). Modelled:
// - __handle_mm_fault() → create_huge_pmd() → do_huge_pmd_anonymous_page() under
//   transparent_hugepage=always (cfg.thp): a write fault on a private anonymous page whose pmd has no
//   page table, in a VMA covering the whole PMD-aligned block (transhuge_vma_suitable()), maps a
//   fresh zeroed compound folio with one writable pmd; with no room for it (vma_alloc_folio()
//   fails) it falls back to a small page.
// - GUP's FOLL_SPLIT_PMD (follow_pmd_mask() → split_huge_pmd()): the pmd becomes ptes, the folio
//   stays compound; __split_huge_pmd_locked() leaves the ptes clean ("we don't do pte_mkdirty when
//   dirty==true") and every subpage PageAnonExclusive.
// - make_device_exclusive_range()'s PageTail() rule and folio-wide rmap walk (make_device_exclusive.ts).
// - Device-private THPs where the release has them (kernelRules.ts device_private_thp 'compound'):
//   a device-private pmd entry (the huge pmd's entries are device-private), made by migrating a
//   PMD-sized hole or THP with MIGRATE_VMA_SELECT_COMPOUND (migrate.ts); it is copied at fork
//   (copy_huge_pmd()), zapped whole (zap_huge_pmd()), made read-only whole (change_huge_pmd()),
//   split by a partial munmap / mprotect / MADV_DONTNEED (__split_huge_pmd_locked() of a
//   device-private entry: device-private ptes of the same folio), faulted through
//   do_huge_pmd_device_private() (fault.ts) and reported with its order by hmm_range_fault()
//   (hmm_vma_handle_absent_pmd(), hmm.ts). A system THP that migration back to RAM leaves is a
//   huge pmd like a faulted one.
// The model keeps one pte per page under a huge pmd too (hpmd marks the pmd as huge), with the
// refcount and mapcount a split pmd would have, so the rest of the model reads them unchanged; a
// folio's pages are freed one by one as their last reference goes (the kernel frees the folio
// whole, and a partly unmapped one only when its last page goes or it is split).
// - fork of system THP pages: copy_huge_pmd() of a THP (both pmds read-only, the folio shared,
//   no page PageAnonExclusive any more) and copy_present_pte() of a pte-mapped one, page by page;
//   a pinned page (folio_try_dup_anon_rmap_pmd() fails: split and copy) is not modelled.
// - a partial munmap / mprotect / MADV_DONTNEED of a THP's huge pmd: __split_huge_pmd() (ptes of
//   the same folio, which stays large), then the ptes as usual.
// - a write fault on a THP's read-only huge pmd: do_huge_pmd_wp_page() reuses the pmd whole when
//   the folio is this pmd's alone (hugePmdReusable()), else splits it and falls back to the pte;
//   do_wp_page() on a page of a large folio reuses a PageAnonExclusive page and copies one whose
//   folio another process maps or something else holds (largeFolioShared(), the same in every
//   release); a folio only this process maps is left: its reuse rule differs by release.
// Not modelled, refused with ThpNotModelled: the huge zero page (read faults in such a block),
// a THP's huge pmd covered whole by mprotect (change_huge_pmd(): which releases make it writable
// differs) or MADV_DONTNEED, fork of a pinned THP page, copy-on-write of a page of a
// large folio that only the faulting process maps and that is not PageAnonExclusive (6.1 reuses
// it when page_count() is 1, 6.12 never, 6.15 and later when __wp_can_reuse_large_anon_folio()
// finds it exclusive), evicting a device folio by a list of pfns (migrate_device_pfns(); migrate_device_range()
// evicts it whole, migrate_device_range.ts), and THPs in releases without
// device-private THP support beyond the paths above. shmem keeps small
// pages (shmem_enabled defaults to never).
import { match } from 'ts-pattern';
import type { Config } from '../config.js';
import { kernelRule } from '../kernelRules.js';
import { newAnonPage, pmdNone, pteMapped, putPage, setPte } from '../mem.js';
import type { Process, State, Vma } from '../types.js';
import { pmdIndex, pmdPages } from './pmd.js';
import { MM, PAGES, mut } from '../touched.js';
import { NotModelled } from '../notModelled.js';

/** The model was asked for a THP behaviour it does not have: an explicit refusal, not a prediction. */
export class ThpNotModelled extends NotModelled {
  override name = 'ThpNotModelled';
}

/** Whether the release migrates and maps device-private large folios (kernelRules.ts device_private_thp). */
export function devicePrivateThp(cfg: Pick<Config, 'kernel'>): boolean {
  return match(kernelRule(cfg, 'device_private_thp'))
    .with('compound', () => true)
    .with('none', () => false)
    .exhaustive();
}

/** Whether vpn is mapped by a huge pmd. */
export function hugeMapped(cfg: Pick<Config, 'pmdPages'>, p: Process | undefined, vpn: number): boolean {
  return (p?.hpmd ?? []).includes(pmdIndex(cfg, vpn));
}

/** What vpn's huge pmd is: a THP ('p'), a device-private pmd entry ('d'), a pmd migration entry ('m'). */
export function hugeKind(s: State, p: Process | undefined, vpn: number): 'p' | 'd' | 'm' | null {
  if (!p || !hugeMapped(s.cfg, p, vpn)) return null;
  const e = p.pt[vpn] ?? null;
  return e && (e.t === 'p' || e.t === 'd' || e.t === 'm') ? e.t : null;
}

/** do_huge_pmd_anonymous_page()'s preconditions: THP always, anonymous, pmd_none, block inside the VMA. */
export function hugeFaultSuitable(s: State, p: Process, v: Vma, vpn: number): boolean {
  if (s.cfg.thp !== 'always' || v.shm >= 0 || !pmdNone(s.cfg, p, vpn)) return false;
  return hugeBlockInVma(s, v, vpn);
}

/** thp_vma_suitable_order(vma, addr, HPAGE_PMD_ORDER): the PMD-aligned block of vpn lies in the VMA. */
export function hugeBlockInVma(s: State, v: Vma, vpn: number): boolean {
  const P = pmdPages(s.cfg);
  const h = pmdIndex(s.cfg, vpn) * P;
  return h >= v.start && h + P <= v.end;
}

/** Marks [head, head + n) as one compound folio whose pages each hold one reference. */
function makeFolio(s: State, head: number, n: number): void {
  for (let k = head; k < head + n; k++) {
    const pg = s.phys[k];
    if (!pg) continue;
    Object.assign(mut(PAGES, pg), { free: false, data: 0, ref: 1, map: 0, pin: 0, shm: -1, zdd: -1, head });
  }
}

/** The lowest `align`-aligned run of PMD-folio free pages in [lo, hi) made one compound folio, or -1. */
function allocRun(s: State, lo: number, hi: number, align: number): number {
  const P = pmdPages(s.cfg);
  for (let head = lo; head + P <= hi; head += align) {
    let free = true;
    for (let k = head; k < head + P && free; k++) free = s.phys[k]?.free === true;
    if (!free) continue;
    makeFolio(s, head, P);
    return head;
  }
  return -1;
}

/** vma_alloc_folio(HPAGE_PMD_ORDER): the lowest run of free system pages made one folio, or -1. */
export function allocSysFolio(s: State): number {
  let run = 0;
  const P = pmdPages(s.cfg);
  for (let i = 1; i < s.cfg.sysPages; i++) {
    run = s.phys[i]?.free ? run + 1 : 0;
    if (run < P) continue;
    const head = i - P + 1;
    makeFolio(s, head, P);
    return head;
  }
  return -1;
}

/**
 * A device large folio of the GPU (lib/test_hmm.c's free_folios: HPAGE_PMD_NR-aligned runs of a
 * chunk): the lowest PMD-aligned run of free VRAM pages, each page with one reference, or -1.
 */
export function allocDevFolio(s: State, gpu: number): number {
  const base = s.vramBase[gpu];
  const g = s.cfg.gpus[gpu];
  if (base === undefined || !g) return -1;
  return allocRun(s, base, base + g.vram, pmdPages(s.cfg));
}

/** __do_huge_pmd_anonymous_page(): returns false when no folio could be had (VM_FAULT_FALLBACK). */
export function faultHugeAnon(s: State, pid: number, v: Vma, vpn: number): boolean {
  const p = s.procs[pid];
  const head = allocSysFolio(s);
  if (!p || head < 0) return false;
  const P = pmdPages(s.cfg);
  const base = pmdIndex(s.cfg, vpn) * P;
  for (let i = 0; i < P; i++) {
    // The huge pmd is writable and dirty; the ptes stand for it and are made clean at the split.
    setPte(s, pid, base + i, { t: 'p', page: head + i, w: true, d: true });
    newAnonPage(s, v, head + i);
    putPage(s, head + i);
  }
  markHuge(s, p, vpn);
  return true;
}

/** The pmd of vpn becomes a huge pmd (its ptes already stand for it). */
export function markHuge(s: State, p: Process, vpn: number): void {
  const k = pmdIndex(s.cfg, vpn);
  if (!(p.hpmd ?? []).includes(k)) mut(MM, (mut(MM, p).hpmd ??= [])).push(k);
}

/**
 * split_huge_pmd() of vpn's pmd: ptes of the same folio; present ones not dirty (6.1 moves the dirty
 * bit to the folio), device-private and migration entries as they were.
 */
export function splitHugePmd(s: State, pid: number, vpn: number): void {
  const p = s.procs[pid];
  if (!p || !hugeMapped(s.cfg, p, vpn)) return;
  const k = pmdIndex(s.cfg, vpn);
  const P = pmdPages(s.cfg);
  mut(MM, p).hpmd = (p.hpmd ?? []).filter((x) => x !== k);
  for (let i = k * P; i < (k + 1) * P; i++) {
    const e = p.pt[i];
    if (e && e.t === 'p' && e.d) mut(MM, p.pt)[i] = { t: 'p', page: e.page, w: e.w };
  }
}

/**
 * split_folio(): every huge pmd mapping the folio is split (in every process) and its pages become
 * small pages. The caller checked that it may split (no pin, no reference but the mappings' and its own).
 */
export function splitFolio(s: State, head: number): void {
  const P = pmdPages(s.cfg);
  for (const p of s.procs)
    for (const k of p.hpmd ?? []) {
      const e = p.pt[k * P] ?? null;
      const pg = e ? s.phys[e.page] : undefined;
      if (pg && pg.head === head) splitHugePmd(s, p.pid, k * P);
    }
  for (let k = head; k < head + P; k++) {
    const pg = s.phys[k];
    if (pg && pg.head === head) delete mut(PAGES, pg).head;
  }
}

/**
 * An operation on [start, end) over huge pmds: a range covering whole blocks is allowed when `whole`
 * (zap_huge_pmd(): the folio goes as one), a device-private pmd entry covered whole when
 * `wholeDevicePrivate` (change_huge_pmd(): made read-only as one); a device-private pmd entry
 * otherwise, and a THP's pmd the range covers in part, is split (__split_huge_pmd() from
 * zap_pmd_range() / change_pmd_range() when the range does not cover the pmd: ptes of the same
 * folio, which stays large and partly mapped); anything else (a THP's pmd covered whole by
 * mprotect or MADV_DONTNEED, a pmd migration entry) is not modelled.
 */
export function refuseHuge(
  s: State,
  pid: number,
  start: number,
  end: number,
  what: string,
  whole = false,
  wholeDevicePrivate = whole,
) {
  const p = s.procs[pid];
  const P = pmdPages(s.cfg);
  for (const k of [...(p?.hpmd ?? [])]) {
    const a = k * P;
    const b = a + P;
    if (b <= start || a >= end) continue;
    const kind = hugeKind(s, p, a);
    const covered = a >= start && b <= end;
    if (covered && (kind === 'd' ? wholeDevicePrivate : whole)) continue;
    if (kind === 'd' || (kind === 'p' && !covered)) {
      splitHugePmd(s, pid, a);
      continue;
    }
    throw new ThpNotModelled(`THP: ${what} over the huge pmd at page ${a} is not modelled`);
  }
}

/** Forget the huge pmds of [start, end) after a zap that covered them whole. */
export function dropHuge(cfg: Pick<Config, 'pmdPages'>, p: Process, start: number, end: number): void {
  if (!p.hpmd) return;
  const P = pmdPages(cfg);
  mut(MM, p).hpmd = p.hpmd.filter((k) => k * P + P <= start || k * P >= end);
}

/** Refuses when page belongs to a THP. */
export function refuseFolio(s: State, page: number, what: string): void {
  const h = s.phys[page]?.head;
  if (h !== undefined) throw new ThpNotModelled(`THP: ${what} of a THP page (folio ${h}) is not modelled`);
}

/** The pages of page's folio: the whole THP, or the page alone. */
export function folioPages(s: State, page: number): number[] {
  const h = s.phys[page]?.head;
  if (h === undefined) return [page];
  return Array.from({ length: pmdPages(s.cfg) }, (_x, i) => h + i);
}

/** The folio's head page (compound_head()), the page itself for a small page. */
export const folioHead = (s: State, page: number): number => s.phys[page]?.head ?? page;

/**
 * do_huge_pmd_wp_page()'s reuse test for a write fault on a read-only huge pmd of a THP: the folio
 * is held by this pmd alone (each page one reference and one mapping, none pinned: the kernel's
 * folio_ref_count() == 1), or, in the exact mm, its head is PageAnonExclusive (checked first).
 * Otherwise the kernel splits the pmd (__split_huge_pmd()) and the fault falls back to the pte.
 */
export function hugePmdReusable(s: State, head: number): boolean {
  if (s.cfg.exactMm === true && s.phys[head]?.ax === true) return true;
  for (let k = head; k < head + pmdPages(s.cfg); k++) {
    const pg = s.phys[k];
    if (!pg || pg.head !== head) continue;
    if (pg.ref !== 1 || pg.map !== 1 || pg.pin !== 0) return false;
  }
  return true;
}

/** The huge pmd of vpn (a THP's) made writable and dirty whole: do_huge_pmd_wp_page()'s reuse. */
export function reuseHugePmd(s: State, pid: number, vpn: number): void {
  const p = s.procs[pid];
  if (!p) return;
  const P = pmdPages(s.cfg);
  const a = pmdIndex(s.cfg, vpn) * P;
  for (let i = a; i < a + P; i++) {
    const e = p.pt[i];
    if (!e || e.t !== 'p') continue;
    mut(MM, p.pt)[i] = { t: 'p', page: e.page, w: true, d: true };
    const pg = s.phys[e.page];
    if (pg) mut(PAGES, pg).ax = true;
  }
}

/**
 * Whether the large folio of `head` is mapped by a process other than `pid` or held beyond its
 * mappings (an extra reference or a pin). Either way do_wp_page() copies a page of it that is not
 * PageAnonExclusive, in every release: 6.1 because page_count() (the folio's) exceeds 1, 6.12
 * because wp_can_reuse_anon_folio() never reuses a large folio, 6.15 and later because
 * __wp_can_reuse_large_anon_folio() refuses a folio that may be mapped shared or whose refcount
 * exceeds its mapcount ("mm: Copy-on-Write (COW) reuse support for PTE-mapped THP", 1da190f4d0a6).
 */
export function largeFolioShared(s: State, pid: number, head: number): boolean {
  const P = pmdPages(s.cfg);
  let maps = 0;
  for (let k = head; k < head + P; k++) {
    const pg = s.phys[k];
    if (!pg || pg.head !== head) continue;
    if (pg.pin > 0 || pg.ref > pg.map) return true;
    maps += pg.map;
  }
  let own = 0;
  for (const e of s.procs[pid]?.pt ?? [])
    if (e && e.page >= head && e.page < head + P && pteMapped(s, e)) own++;
  return maps > own;
}
