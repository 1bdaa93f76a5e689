// Transparent huge pages under transparent_hugepage=always (cfg.thp), Linux 6.1, the minimum the
// device-exclusive path needs. Modelled:
// - __handle_mm_fault() → create_huge_pmd() → do_huge_pmd_anonymous_page(): a write fault on a
//   private anonymous page whose pmd has no page table, in a VMA covering the whole 2 MiB-aligned
//   block (transhuge_vma_suitable()), maps a fresh zeroed compound folio with one writable pmd;
//   with no room for it (vma_alloc_folio() fails) it falls back to a small page.
// - GUP's FOLL_SPLIT_PMD (follow_pmd_mask() → split_huge_pmd()): the pmd becomes 512 ptes, the
//   folio stays compound; __split_huge_pmd_locked() leaves the ptes clean ("we don't do
//   pte_mkdirty when dirty==true") and every subpage PageAnonExclusive.
// - make_device_exclusive_range()'s PageTail() rule and folio-wide rmap walk (make_device_exclusive.ts).
// The model keeps one pte per page under a huge pmd too (hpmd marks the pmd as huge), with the
// refcount and mapcount a split pmd would have, so the rest of the model reads them unchanged.
// Not modelled, refused with ThpNotModelled: the huge zero page (read faults in such a block),
// splitting a huge pmd other than by GUP (partial munmap, mprotect, MADV_DONTNEED), fork of a
// process mapping THP pages, hmm_range_fault() over a huge pmd (HMM_PFN order 9, the snapshot's
// PMD flag), migrate_vma of THP pages (split_huge_page() / PageTransCompound skip) and COW of a
// THP page. shmem keeps small pages (shmem_enabled defaults to never).
import { newAnonPage, pmdNone, putPage, setPte } from '../mem.js';
import type { Process, State, Vma } from '../types.js';
import { PMD_PAGES } from './pmd.js';
import { MM, PAGES, mut } from '../touched.js';
import { NotModelled } from '../notModelled.js';

/** The model was asked for a THP behaviour it does not have: an explicit refusal, not a prediction. */
export class ThpNotModelled extends NotModelled {
  override name = 'ThpNotModelled';
}

const pmdOf = (vpn: number): number => Math.floor(vpn / PMD_PAGES);

/** Whether vpn is mapped by a huge pmd. */
export function hugeMapped(p: Process | undefined, vpn: number): boolean {
  return (p?.hpmd ?? []).includes(pmdOf(vpn));
}

/** do_huge_pmd_anonymous_page()'s preconditions: THP always, anonymous, pmd_none, block inside the VMA. */
export function hugeFaultSuitable(s: State, p: Process, v: Vma, vpn: number): boolean {
  if (s.cfg.thp !== 'always' || v.shm >= 0 || !pmdNone(p, vpn)) return false;
  const h = pmdOf(vpn) * PMD_PAGES;
  return h >= v.start && h + PMD_PAGES <= v.end;
}

/** The lowest run of PMD_PAGES free system pages made one compound folio, or -1 (a fallback). */
function allocFolio(s: State): number {
  let run = 0;
  for (let i = 1; i < s.cfg.sysPages; i++) {
    run = s.phys[i]?.free ? run + 1 : 0;
    if (run < PMD_PAGES) continue;
    const head = i - PMD_PAGES + 1;
    for (let k = head; k <= i; k++) {
      const pg = s.phys[k];
      if (!pg) continue;
      Object.assign(mut(PAGES, pg), { free: false, data: 0, ref: 1, map: 0, pin: 0, shm: -1, zdd: -1, head });
    }
    return head;
  }
  return -1;
}

/** __do_huge_pmd_anonymous_page(): returns false when no folio could be had (VM_FAULT_FALLBACK). */
export function faultHugeAnon(s: State, pid: number, v: Vma, vpn: number): boolean {
  const p = s.procs[pid];
  const head = allocFolio(s);
  if (!p || head < 0) return false;
  const base = pmdOf(vpn) * PMD_PAGES;
  for (let i = 0; i < PMD_PAGES; i++) {
    // The huge pmd is writable and dirty; the ptes stand for it and are made clean at the split.
    setPte(s, pid, base + i, { t: 'p', page: head + i, w: true, d: true });
    newAnonPage(s, v, head + i);
    putPage(s, head + i);
  }
  mut(MM, (mut(MM, p).hpmd ??= [])).push(pmdOf(vpn));
  return true;
}

/** split_huge_pmd() of vpn's pmd: ptes of the same folio, not dirty (6.1 moves the dirty bit to the folio). */
export function splitHugePmd(s: State, pid: number, vpn: number): void {
  const p = s.procs[pid];
  if (!p || !hugeMapped(p, vpn)) return;
  const k = pmdOf(vpn);
  mut(MM, p).hpmd = (p.hpmd ?? []).filter((x) => x !== k);
  for (let i = k * PMD_PAGES; i < (k + 1) * PMD_PAGES; i++) {
    const e = p.pt[i];
    if (e && e.t === 'p' && e.d) mut(MM, p.pt)[i] = { t: 'p', page: e.page, w: e.w };
  }
}

/**
 * An operation on [start, end) that would split or walk a huge pmd in a way not modelled. A range
 * covering whole blocks is allowed when `whole` (zap_huge_pmd(): the folio goes as one).
 */
export function refuseHuge(s: State, pid: number, start: number, end: number, what: string, whole = false) {
  const p = s.procs[pid];
  for (const k of p?.hpmd ?? []) {
    const a = k * PMD_PAGES;
    const b = a + PMD_PAGES;
    if (b <= start || a >= end) continue;
    if (whole && a >= start && b <= end) continue;
    throw new ThpNotModelled(`THP=always: ${what} over the huge pmd at page ${a} is not modelled`);
  }
}

/** Forget the huge pmds of [start, end) after a zap that covered them whole. */
export function dropHuge(p: Process, start: number, end: number): void {
  if (!p.hpmd) return;
  mut(MM, p).hpmd = p.hpmd.filter((k) => k * PMD_PAGES + PMD_PAGES <= start || k * PMD_PAGES >= end);
}

/** Refuses when page belongs to a THP. */
export function refuseFolio(s: State, page: number, what: string): void {
  const h = s.phys[page]?.head;
  if (h !== undefined)
    throw new ThpNotModelled(`THP=always: ${what} of a THP page (folio ${h}) is not modelled`);
}

/** The pages of page's folio: the whole THP, or the page alone. */
export function folioPages(s: State, page: number): number[] {
  const h = s.phys[page]?.head;
  if (h === undefined) return [page];
  return Array.from({ length: PMD_PAGES }, (_x, i) => h + i);
}
