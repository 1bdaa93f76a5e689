// make_device_exclusive_range() (mm/rmap.c, Linux 6.1): get_user_pages_remote(FOLL_GET|FOLL_WRITE)
// faults the range in writable (breaking COW, leaving the zero page, bringing device-private pages
// back), then each anonymous page has its mappings replaced by device-exclusive entries, one
// MMU_NOTIFY_EXCLUSIVE invalidation (with the caller's owner) per mapping. A page counts only when
// it was writably mapped at the expected address and no mapping is left; otherwise its slot is -1.
import { call, defineProc, goto, ret, type Env } from '../proc.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { getPage, putPage, vmaAt } from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import { invalidateArgs } from './invalidate.js';

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
  /** Mappings of the current page still to be made exclusive, and the walk's verdict. */
  maps: number[][];
  valid: boolean;
  broken: boolean;
}

function mappingsOfPage(env: Env, page: number): number[][] {
  const out: number[][] = [];
  for (const p of env.s.procs) {
    if (!p.alive) continue;
    p.pt.forEach((e, vpn) => {
      if (e && (e.t === 'p' || e.t === 'd') && e.page === page) out.push([p.pid, vpn]);
    });
  }
  return out;
}

export const makeDeviceExclusiveRange = defineProc<L>('make_device_exclusive_range', {
  start(_env, l) {
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
    if (isLocked(s, pageLock(page)) || (s.phys[page]?.shm ?? -1) >= 0) {
      // folio_trylock() failed, or not an anonymous folio: no exclusive access to this one.
      putPage(s, page);
      l.pages[l.i] = -1;
      l.i++;
      return goto('page');
    }
    tryLock(env, pageLock(page), 'w');
    l.maps = mappingsOfPage(env, page);
    l.valid = false;
    l.broken = false;
    return goto('map');
  },
  map(_env, l) {
    const m = l.maps[0];
    if (!m || l.broken) return goto('pageDone');
    return call(
      'mmu_invalidate_start',
      invalidateArgs(m[0] ?? 0, m[1] ?? 0, (m[1] ?? 0) + 1, 'exclusive', l.owner),
      'mapped',
    );
  },
  mapped(env, l) {
    const s = env.s;
    const [pid, vpn] = l.maps.shift() as [number, number];
    const p = s.procs[pid];
    const pte = p?.pt[vpn] ?? null;
    const page = l.pages[l.i] ?? -1;
    if (p && pte && pte.page === page) {
      if (pte.t !== 'p') l.broken = true;
      else {
        if (pid === l.pid && vpn === l.start + l.i && pte.w) l.valid = true;
        const pg = s.phys[page];
        if (pg) pg.map--;
        p.pt[vpn] = { t: 'x', page, w: pte.w };
      }
    }
    invalidateEnd(env, pid);
    return goto('map');
  },
  pageDone(env, l) {
    const s = env.s;
    const page = l.pages[l.i] ?? -1;
    const ok = l.valid && (s.phys[page]?.map ?? 1) === 0;
    if (!ok) {
      unlock(env, pageLock(page));
      putPage(s, page);
      l.pages[l.i] = -1;
    }
    l.i++;
    return goto('page');
  },
});
