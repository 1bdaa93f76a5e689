// VMA bookkeeping shared by the mm syscalls: splitting at page boundaries, page-table teardown,
// shmem object lifetime and the oracle cells that follow the mappings.
import { newCell, putPage, setPte } from '../mem.js';
import type { Config, Process, State, Vma } from '../types.js';
import { pmdPages } from './pmd.js';
import { MM, mut } from '../touched.js';

/** Splits the VMA that strictly contains vpn into [start, vpn) and [vpn, end). */
export function splitAt(s: State, p: Process, vpn: number): void {
  const i = p.vmas.findIndex((v) => v.start < vpn && vpn < v.end);
  if (i < 0) return;
  const v = p.vmas[i] as Vma;
  // Both halves keep everything else, the anon_vma included (__split_vma).
  const tail: Vma = { ...v, start: vpn, pgoff: v.pgoff + (vpn - v.start) };
  mut(MM, v).end = vpn;
  mut(MM, p.vmas).splice(i + 1, 0, tail);
  const shm = s.shms[v.shm];
  if (shm) mut(MM, shm).users++;
}

/** The VMAs inside [start, end), after splitting at both boundaries. */
export function vmasIn(s: State, p: Process, start: number, end: number): Vma[] {
  splitAt(s, p, start);
  splitAt(s, p, end);
  return p.vmas.filter((v) => v.start >= start && v.end <= end);
}

/** zap_pte_range over [start, end): drops mappings; migration entries are simply cleared. */
export function zapPtes(s: State, pid: number, start: number, end: number): void {
  const p = s.procs[pid];
  if (!p) return;
  for (let vpn = start; vpn < end; vpn++) {
    const pte = p.pt[vpn] ?? null;
    if (!pte) continue;
    if (pte.t === 'm') mut(MM, p.pt)[vpn] = null;
    else setPte(s, pid, vpn, null);
  }
}

export function dropShmUser(s: State, id: number): void {
  const o = s.shms[id];
  if (!o) return;
  const shm = mut(MM, o);
  shm.users--;
  if (shm.users > 0) return;
  // The last mapping is gone: the shmem object and its page cache are released.
  for (let i = 0; i < shm.pages.length; i++) {
    const page = shm.pages[i] ?? -1;
    if (page >= 0) putPage(s, page);
    mut(MM, shm.pages)[i] = -1;
  }
}

/** Removes the VMAs (already split to the range) and their cells; page tables must be zapped already. */
export function removeVmas(s: State, p: Process, gone: Vma[]): void {
  for (const v of gone) {
    for (let vpn = v.start; vpn < v.end; vpn++) mut(MM, p.cell)[vpn] = -1;
    if (v.shm >= 0) dropShmUser(s, v.shm);
  }
  mut(MM, p).vmas = p.vmas.filter((v) => !gone.includes(v));
}

export function addVma(s: State, p: Process, v: Vma): void {
  const vmas = mut(MM, p.vmas);
  vmas.push(v);
  vmas.sort((a, b) => a.start - b.start);
  const shm = s.shms[v.shm];
  for (let vpn = v.start; vpn < v.end; vpn++) {
    mut(MM, p.cell)[vpn] = shm ? (shm.cells[v.pgoff + vpn - v.start] ?? -1) : newCell(s, 0);
  }
}

/** First-fit placement of an n-page mapping, or -1 (ENOMEM). */
export function findGap(s: State, p: Process, n: number): number {
  let at = 0;
  for (const v of p.vmas) {
    if (v.start - at >= n) return at;
    at = Math.max(at, v.end);
  }
  return s.cfg.vaPages - at >= n ? at : -1;
}

/** The mapped part of [start, end) as merged sub-ranges. */
export function mappedRanges(p: Process, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const v of p.vmas) {
    const a = Math.max(start, v.start);
    const b = Math.min(end, v.end);
    if (a >= b) continue;
    const last = out[out.length - 1];
    if (last && last[1] === a) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

/** free_pgtables() after munmap: a pmd that no VMA overlaps any more loses its page-table page. */
export function freePgtables(cfg: Config, p: Process, start: number, end: number): void {
  if (!p.pmds) return;
  const P = pmdPages(cfg);
  mut(MM, p).pmds = p.pmds.filter((k) => {
    const a = k * P;
    const b = a + P;
    if (b <= start || a >= end) return true;
    return p.vmas.some((v) => v.start < b && v.end > a);
  });
}
