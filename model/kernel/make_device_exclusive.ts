// make_device_exclusive_range() (mm/rmap.c, Linux 6.1 and 6.12 alike): get_user_pages_remote(FOLL_GET|FOLL_WRITE)
// faults the range in writable (breaking COW, leaving the zero page, bringing device-private pages
// back), then each anonymous page has its mappings replaced by device-exclusive entries, one
// MMU_NOTIFY_EXCLUSIVE invalidation (with the caller's owner) per mapping. A page counts only when
// it was writably mapped at the expected address and no mapping is left; otherwise its slot is -1.
// THPs (cfg.thp 'always', thp.ts): GUP's FOLL_SPLIT_PMD splits a huge pmd into ptes; a tail page
// (PageTail()) is never made exclusive; the head's rmap walk (page_make_device_exclusive_one() over
// page_vma_mapped_walk()) turns every pte of the folio exclusive, one invalidation per VMA over
// [folio address, + folio_size) clamped to the VMA, and succeeds when no subpage is mapped.
import { call, defineProc, goto, ret, type Env } from '../proc.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { getPage, putPage, vmaAt } from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import { invalidateArgs } from './invalidate.js';
import { folioPages, hugeMapped, splitHugePmd } from './thp.js';
import { MM, PAGES, mut } from '../touched.js';
import { kernelRule } from '../kernelRules.js';
import { kernelOf } from '../kernelVersion.js';

/** GUP's result: the number of pages it got (or an errno when the first failed) and the exclusive pages. */
export interface ExclusiveResult {
  err: string;
  npages: number;
  pages: number[];
}

interface L {
  pid: number;
  start: number;
  n: number;
  owner: number;
  pages: number[];
  i: number;
  err: string;
  /** [pid, start, end) per VMA mapping the current folio still to be walked, and the walk's verdict. */
  maps: number[][];
  /** The current folio's pages (the page alone unless it is a THP head). */
  folio: number[];
  valid: boolean;
  broken: boolean;
}

/**
 * rmap_walk(): one [pid, start, end) per VMA mapping the folio. A small page's range is its own
 * page; a THP's is vma_address() of the head to folio_size() later, clamped to the VMA.
 */
function mappingsOfFolio(env: Env, folio: number[]): number[][] {
  const out: number[][] = [];
  const head = folio[0] ?? -1;
  for (const p of env.s.procs) {
    if (!p.alive) continue;
    p.pt.forEach((e, vpn) => {
      if (!e || (e.t !== 'p' && e.t !== 'd') || !folio.includes(e.page)) return;
      if (folio.length === 1) return void out.push([p.pid, vpn, vpn + 1]);
      const v = vmaAt(env.s, p.pid, vpn);
      const at = vpn - (e.page - head);
      const a = Math.max(v?.start ?? vpn, at);
      const b = Math.min(v?.end ?? vpn + 1, at + folio.length);
      if (!out.some((m) => m[0] === p.pid && m[1] === a)) out.push([p.pid, a, b]);
    });
  }
  return out;
}

export const makeDeviceExclusiveRange = defineProc<L>('make_device_exclusive_range', {
  start(env, l) {
    // 6.15 replaced this with make_device_exclusive(), one pte at a time (make_device_exclusive_page.ts).
    if (kernelRule(env.s.cfg, 'make_device_exclusive') === 'one-pte')
      throw new Error(
        `Linux ${kernelOf(env.s.cfg)} has no make_device_exclusive_range(): call make_device_exclusive()`,
      );
    l.pages = [];
    l.i = 0;
    l.err = '0';
    return goto('gup');
  },
  gup(env, l) {
    // __get_user_pages(): stop at the first page that cannot be had; an error only if it is the first.
    const s = env.s;
    if (l.i >= l.n) return goto('walk0');
    const vpn = l.start + l.i;
    const v = vmaAt(s, l.pid, vpn);
    if (!v || v.prot !== 'rw') return goto('gupStop');
    // FOLL_SPLIT_PMD: follow_pmd_mask() splits a huge pmd before taking the page.
    if (hugeMapped(s.cfg, s.procs[l.pid], vpn)) splitHugePmd(s, l.pid, vpn);
    const pte = s.procs[l.pid]?.pt[vpn] ?? null;
    if (pte && pte.t === 'p' && pte.w) {
      getPage(s, pte.page);
      l.pages.push(pte.page);
      l.i++;
      return goto('gup');
    }
    return call('handle_mm_fault', { pid: l.pid, vpn, write: true }, 'gupFaulted');
  },
  gupFaulted(_env, _l, r) {
    if (r !== 0) return goto('gupStop');
    return goto('gup');
  },
  gupStop(_env, l) {
    if (l.pages.length === 0) return ret({ err: 'EFAULT', npages: 0, pages: [] } satisfies ExclusiveResult);
    return goto('walk0');
  },
  walk0(_env, l) {
    // Back in make_device_exclusive_range(): trylock each page GUP got and walk its rmap.
    l.i = 0;
    return goto('page');
  },
  page(env, l) {
    const s = env.s;
    const page = l.pages[l.i];
    if (page === undefined)
      return ret({ err: l.err, npages: l.pages.length, pages: l.pages } satisfies ExclusiveResult);
    const head = s.phys[page]?.head ?? page;
    if (head !== page || isLocked(s, pageLock(page)) || (s.phys[page]?.shm ?? -1) >= 0) {
      // PageTail(), folio_trylock() failed, or not an anonymous folio: no exclusive access to this one.
      putPage(s, page);
      l.pages[l.i] = -1;
      l.i++;
      return goto('page');
    }
    tryLock(env, pageLock(page), 'w');
    l.folio = folioPages(s, page);
    l.maps = mappingsOfFolio(env, l.folio);
    l.valid = false;
    l.broken = false;
    return goto('map');
  },
  map(_env, l) {
    const m = l.maps[0];
    if (!m || l.broken) return goto('pageDone');
    return call(
      'mmu_invalidate_start',
      invalidateArgs(m[0] ?? 0, m[1] ?? 0, m[2] ?? 0, 'exclusive', l.owner),
      'mapped',
    );
  },
  mapped(env, l) {
    const s = env.s;
    const [pid, a, b] = l.maps.shift() as [number, number, number];
    const p = s.procs[pid];
    // page_vma_mapped_walk() over the range: a non-present entry of the folio ends the whole walk.
    for (let vpn = a; p && vpn < b && !l.broken; vpn++) {
      const pte = p.pt[vpn] ?? null;
      if (!pte || !l.folio.includes(pte.page)) continue;
      if (pte.t !== 'p') l.broken = true;
      else {
        if (pid === l.pid && vpn === l.start + l.i && pte.w) l.valid = true;
        const pg = s.phys[pte.page];
        if (pg) mut(PAGES, pg).map--;
        mut(MM, p.pt)[vpn] = { t: 'x', page: pte.page, w: pte.w };
      }
    }
    invalidateEnd(env, pid);
    return goto('map');
  },
  pageDone(env, l) {
    const s = env.s;
    const page = l.pages[l.i] ?? -1;
    // folio_mapcount(): no subpage of the folio is mapped any more.
    const ok = l.valid && l.folio.every((x) => (s.phys[x]?.map ?? 1) === 0);
    if (!ok) {
      unlock(env, pageLock(page));
      putPage(s, page);
      l.pages[l.i] = -1;
    }
    l.i++;
    return goto('page');
  },
});
