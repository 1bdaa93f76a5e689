// Physical memory and CPU page tables: allocation, refcount/mapcount accounting, and what backs a
// virtual page. Page 0 is the shared zero page: never allocated, freed or counted.
import { checkDevmemLive } from './devmem.js';
import { pmdIndex } from './kernel/pmd.js';
import { CELLS, MM, PAGES, mut } from './touched.js';
import type { Process, Pte, State, Vma } from './types.js';
import { KernelOops } from './kernelOops.js';
import { kernelRule } from './kernelRules.js';

export const ZERO_PAGE = 0;

export function vmaAt(s: State, pid: number, vpn: number): Vma | undefined {
  const p = s.procs[pid];
  if (!p) return undefined;
  for (const v of p.vmas) if (vpn >= v.start && vpn < v.end) return v;
  return undefined;
}

export function isDevicePage(s: State, page: number): boolean {
  return (s.phys[page]?.gpu ?? -1) >= 0;
}

/** A device page the CPU cannot touch (mapped through device-private swap entries). */
export function isDevicePrivate(s: State, page: number): boolean {
  const p = s.phys[page];
  return !!p && p.gpu >= 0 && s.cfg.gpus[p.gpu]?.mem === 'private';
}

function allocFrom(s: State, lo: number, hi: number): number {
  for (let i = lo; i < hi; i++) {
    const pg = s.phys[i];
    if (pg && pg.free) {
      const p = mut(PAGES, pg);
      p.free = false;
      p.data = 0;
      p.ref = 1;
      p.map = 0;
      p.pin = 0;
      p.shm = -1;
      p.zdd = -1;
      // A page freed out of a THP comes back as a small page (the model frees subpages one by one).
      if (p.head !== undefined) delete p.head;
      return i;
    }
  }
  return -1;
}

/** alloc_page(): the lowest free system page with one reference, or -1 when memory is exhausted. */
export function allocSysPage(s: State): number {
  return allocFrom(s, 1, s.cfg.sysPages);
}

/** A free VRAM page of the GPU, initialised with one reference (zone_device_page_init), or -1. */
export function allocDevPage(s: State, gpu: number): number {
  const base = s.vramBase[gpu];
  const cfg = s.cfg.gpus[gpu];
  if (base === undefined || !cfg) return -1;
  const page = allocFrom(s, base, base + cfg.vram);
  if (page >= 0) checkDevmemLive(s, gpu, page);
  return page;
}

export function getPage(s: State, page: number): void {
  if (page === ZERO_PAGE) return;
  const p = s.phys[page];
  if (!p || p.free) throw new KernelOops('oops', { code: 'get-page-free', at: { page }, data: { page } });
  mut(PAGES, p).ref++;
}

/** put_page(): drops a reference; the page is freed (device pages: page_free) when none is left. */
export function putPage(s: State, page: number): void {
  if (page === ZERO_PAGE) return;
  const pg = s.phys[page];
  if (!pg || pg.free) throw new KernelOops('oops', { code: 'put-page-free', at: { page }, data: { page } });
  const p = mut(PAGES, pg);
  p.ref--;
  if (p.ref < 0) throw new KernelOops('oops', { code: 'put-page-underflow', at: { page }, data: { page } });
  if (p.ref === 0) {
    p.free = true;
    // A folio freed while in a CPU's LRU batch leaves it (the batch's own reference is not modelled).
    if (p.lru !== undefined) delete p.lru;
    // free_zone_device_page: the owner's dev_pagemap_ops.page_free runs (engine.ts drains the queue).
    if (p.gpu >= 0) s.pagesToFree.push(page);
  }
}

/**
 * zone_device_page_init: a device page starts a new life with one reference. Re-initialising a page
 * someone still references is the bug class of "drm/amdkfd: Fix svm_bo and vram page refcount";
 * the kernel does not check, so the model records it for the invariant instead of refusing.
 */
export function initDevicePage(s: State, page: number, zdd: number): boolean {
  const pg = s.phys[page];
  if (!pg || pg.gpu < 0) throw new Error(`zone_device_page_init(${page}): not a device page`);
  checkDevmemLive(s, pg.gpu, page);
  const p = mut(PAGES, pg);
  const referenced = !p.free || p.ref > 0;
  if (referenced) s.reinitialised.push(page);
  p.free = false;
  p.ref = 1;
  p.map = referenced ? p.map : 0;
  p.pin = 0;
  p.shm = -1;
  p.data = 0;
  p.zdd = zdd;
  return !referenced;
}

/** A pte's identity, to tell whether a fault changed anything. */
export const pteKey = (e: Pte): string => (e ? `${e.t}:${e.page}:${e.w ? 1 : 0}` : 'none');

/** The page whose reference the pte holds: present, device-private and device-exclusive entries. */
function pteRef(pte: Pte): number {
  return pte && pte.t !== 'm' ? pte.page : -1;
}

/**
 * Whether the pte counts in the page's mapcount: present and device-private entries do; a
 * device-exclusive entry gave its rmap up until 6.12 and keeps it from 6.15 on
 * (kernelRules.ts device_exclusive_mapcount).
 */
export function pteMapped(s: Pick<State, 'cfg'>, pte: Pte): boolean {
  if (!pte) return false;
  if (pte.t === 'x') return kernelRule(s.cfg, 'device_exclusive_mapcount') === 'kept';
  return pte.t === 'p' || pte.t === 'd';
}

/**
 * Writes a CPU pte, moving the mapping's reference and mapcount from the old page to the new one.
 * Migration entries hold neither (the migration holds its own reference on the source page).
 */
export function setPte(s: State, pid: number, vpn: number, pte: Pte): void {
  const p = s.procs[pid];
  if (!p) throw new Error(`setPte: no process ${pid}`);
  const prev = p.pt[vpn] ?? null;
  const old = pteRef(prev);
  const now = pteRef(pte);
  if (now >= 0 && now !== ZERO_PAGE) {
    const pg = s.phys[now];
    if (!pg || pg.free)
      throw new KernelOops('oops', {
        code: 'bad-page-map',
        at: { pid, vpn, page: now },
        data: { pid, vpn, page: now },
      });
    const w = mut(PAGES, pg);
    if (pteMapped(s, pte)) w.map++;
    w.ref++;
  }
  mut(MM, p.pt)[vpn] = pte;
  if (pte) populatePmd(s.cfg, p, vpn);
  if (old >= 0 && old !== ZERO_PAGE) {
    const pg = s.phys[old];
    if (pg && pteMapped(s, prev)) mut(PAGES, pg).map--;
    putPage(s, old);
  }
}

/**
 * try_to_migrate_one() / migrate_vma_collect_pmd(): a present or device-private pte becomes a
 * migration entry for its page; the mapping's reference and mapcount go (setPte), the dirty bit stays.
 */
export function setMigrationEntry(s: State, pid: number, vpn: number, pte: Pte & { t: 'p' | 'd' }): void {
  setPte(s, pid, vpn, null);
  const p = s.procs[pid];
  if (!p) throw new Error(`setMigrationEntry: no process ${pid}`);
  const dirty = pte.t === 'p' && pte.d ? { d: true } : {};
  mut(MM, p.pt)[vpn] = { t: 'm', page: pte.page, w: pte.w, dst: -1, ...dirty };
}

/** pte_alloc(): installing a pte gives its pmd a page-table page. */
export function populatePmd(cfg: State['cfg'], p: Process, vpn: number): void {
  const k = pmdIndex(cfg, vpn);
  const t = p.pmds;
  if (t?.includes(k)) return;
  if (!t) mut(MM, p).pmds = [k];
  else {
    const w = mut(MM, t);
    w.push(k);
    w.sort((a, b) => a - b);
  }
}

/** pmd_none(): whether the pmd of vpn has no page-table page. */
export function pmdNone(cfg: State['cfg'], p: Process, vpn: number): boolean {
  return !(p.pmds ?? []).includes(pmdIndex(cfg, vpn));
}

/** page_add_new_anon_rmap(): a fresh anonymous page is exclusive to its mapping and gives the VMA an anon_vma. */
export function newAnonPage(s: State, v: Vma, page: number): void {
  mut(MM, v).anon = true;
  const pg = s.phys[page];
  if (pg && page !== ZERO_PAGE) mut(PAGES, pg).ax = true;
}

/** restore_exclusive_pte(): a device-exclusive entry becomes a present pte again (its reference carries over). */
export function restoreExclusive(s: State, pid: number, vpn: number, w: boolean): void {
  const p = s.procs[pid];
  const e = p?.pt[vpn] ?? null;
  if (!p || !e || e.t !== 'x')
    throw new Error(`restore_exclusive_pte: pid ${pid} vpn ${vpn} is not exclusive`);
  const pg = s.phys[e.page];
  // 6.1/6.12 restore_exclusive_pte() adds the rmap the entry gave up; from 6.15 it never left.
  if (pg && !pteMapped(s, e)) mut(PAGES, pg).map++;
  mut(MM, p.pt)[vpn] = { t: 'p', page: e.page, w, ...(w ? { d: true } : {}) };
}

/** The physical page that holds the data of a virtual page for the CPU, or -1 if none does. */
export function backingPage(s: State, pid: number, vpn: number): number {
  const p = s.procs[pid];
  const pte = p?.pt[vpn] ?? null;
  if (pte) {
    if (pte.t === 'm') return pte.dst >= 0 ? pte.dst : pte.page;
    return pte.page;
  }
  const v = vmaAt(s, pid, vpn);
  if (v && v.shm >= 0) return s.shms[v.shm]?.pages[v.pgoff + vpn - v.start] ?? -1;
  return -1;
}

/** Every (pid, vpn) whose CPU pte references the page (present, device-private, device-exclusive or migration entry). */
export function mappingsOf(s: State, page: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of s.procs) {
    if (!p.alive) continue;
    for (let v = 0; v < p.pt.length; v++) {
      const e = p.pt[v];
      if (e && e.page === page) out.push([p.pid, v]);
    }
  }
  return out;
}

export function newCell(s: State, v: number): number {
  mut(CELLS, s.cells).push({ v });
  return s.cells.length - 1;
}

/** The expected value of a virtual page according to the oracle, or undefined when unmapped. */
export function expectedValue(s: State, pid: number, vpn: number): number | undefined {
  const c = s.procs[pid]?.cell[vpn] ?? -1;
  return c >= 0 ? s.cells[c]?.v : undefined;
}

/**
 * The oracle cell of a shmem page: a write into it is a write to the object at that offset, which
 * every mapping of the object sees, whichever mapping it came through. That includes a GPU PTE the
 * unmap of this address has not torn down yet: munmap() drops the VMA and its cells first, and the
 * notifier may still wait for the GPU's unmap job (a fence) while the GPU writes.
 */
function shmCell(s: State, page: number): number | undefined {
  const pg = s.phys[page];
  if (!pg || pg.shm < 0) return undefined;
  const o = s.shms[pg.shm];
  const off = o ? o.pages.indexOf(page) : -1;
  return off >= 0 ? o?.cells[off] : undefined;
}

/** Stores a fresh value (or the given one: conformance programs write chosen values) and updates the oracle. */
export function writeValue(s: State, pid: number, vpn: number, page: number, value?: number): number {
  const v = value ?? ++s.writeSeq;
  const pg = s.phys[page];
  if (pg && page !== ZERO_PAGE) mut(PAGES, pg).data = v;
  const c = shmCell(s, page) ?? s.procs[pid]?.cell[vpn] ?? -1;
  const cell = s.cells[c];
  if (cell) mut(CELLS, cell).v = v;
  return v;
}
