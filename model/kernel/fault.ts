// handle_mm_fault() for anonymous and shmem memory: do_anonymous_page (zero page on read),
// shmem_fault, do_wp_page (reuse or copy-on-write, the copy under an MMU_NOTIFY_CLEAR
// invalidation), do_swap_page for device-private entries (the owner's migrate_to_ram, with a
// page reference held across it: "mm/memory.c: fix race when faulting a device private page"),
// remove_device_exclusive_entry for device-exclusive entries (MMU_NOTIFY_EXCLUSIVE, no owner),
// and migration_entry_wait. A device-private pmd entry (a device-private THP, thp.ts) is
// do_huge_pmd_device_private(): folio_trylock() under the pmd lock, contended: return 0 and the
// fault is retried at once (the 7.0 fix that sleeps instead, b570f37a2ce4, changed do_swap_page()
// only); locked: folio_get(), migrate_to_ram() with the head page, folio_unlock(), folio_put().
// The caller holds mmap_lock for read.
import { block, call, defineProc, goto, ret, yieldTo } from '../proc.js';
import { isLocked, pageLock, tryLock, unlock } from '../locks.js';
import { kernelRule } from '../kernelRules.js';
import {
  allocSysPage,
  getPage,
  newAnonPage,
  putPage,
  restoreExclusive,
  setPte,
  vmaAt,
  ZERO_PAGE,
} from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import { driverProcName } from '../driver.js';
import { invalidateArgs } from './invalidate.js';
import { faultAround } from './fault_around.js';
import { KernelBug } from '../kernelBug.js';
import {
  faultHugeAnon,
  folioHead,
  hugeFaultSuitable,
  hugeKind,
  hugePmdReusable,
  largeFolioShared,
  reuseHugePmd,
  splitHugePmd,
  ThpNotModelled,
} from './thp.js';
import { MM, PAGES, mut } from '../touched.js';
import { lruBatchAdd } from './lruBatch.js';

const dirty = (d: boolean): { d?: boolean } => (d ? { d: true } : {});

interface L {
  pid: number;
  vpn: number;
  write: boolean;
  page: number;
  res: unknown;
  /** do_swap_page holds the device page's lock across migrate_to_ram (6.15 and later). */
  locked: boolean;
  /** The fault is do_huge_pmd_device_private()'s, on a device-private pmd entry. */
  pmd?: boolean;
}

/** Locals of handle_mm_fault, for a kernel patch that replaces a step (patchKernelSteps). */
export type HandleMmFaultLocals = L;

/** Returns 0 when the caller should retry the access, or 'SEGV' | 'OOM' | 'SIGBUS'. */
export const handleMmFault = defineProc<L>('handle_mm_fault', {
  start(env, l) {
    const s = env.s;
    const v = vmaAt(s, l.pid, l.vpn);
    const p = s.procs[l.pid];
    if (!v || !p || v.prot === 'none' || (l.write && v.prot !== 'rw')) return ret('SEGV');
    const pte = p.pt[l.vpn] ?? null;
    if (pte === null) {
      if (v.shm >= 0) {
        const shm = s.shms[v.shm];
        if (!shm) throw new Error(`vma maps missing shm ${v.shm}`);
        // do_read_fault() maps what the page cache already holds around the address first.
        if (!l.write && s.cfg.exactMm) faultAround(s, l.pid, l.vpn);
        if (p.pt[l.vpn]) return ret(0);
        const off = v.pgoff + l.vpn - v.start;
        let page = shm.pages[off] ?? -1;
        if (page < 0) {
          page = allocSysPage(s);
          if (page < 0) return ret('OOM');
          const pg = s.phys[page];
          if (pg) mut(PAGES, pg).shm = v.shm;
          // The allocation reference becomes the page cache's reference.
          mut(MM, shm.pages)[off] = page;
          // shmem_alloc_and_add_folio(): folio_add_lru() on this CPU.
          lruBatchAdd(env, page);
        }
        setPte(s, l.pid, l.vpn, { t: 'p', page, w: v.prot === 'rw', ...dirty(l.write) });
        return ret(0);
      }
      // THP=always: do_huge_pmd_anonymous_page() serves the whole block (thp.ts).
      const huge = hugeFaultSuitable(s, p, v, l.vpn);
      if (huge && !l.write)
        throw new ThpNotModelled(
          `THP=always: read fault at page ${l.vpn} maps the huge zero page (not modelled)`,
        );
      if (!l.write) {
        setPte(s, l.pid, l.vpn, { t: 'p', page: ZERO_PAGE, w: false });
        return ret(0);
      }
      if (huge && faultHugeAnon(s, l.pid, v, l.vpn)) return ret(0);
      const page = allocSysPage(s);
      if (page < 0) return ret('OOM');
      setPte(s, l.pid, l.vpn, { t: 'p', page, w: true, d: true });
      newAnonPage(s, v, page);
      // do_anonymous_page(): folio_add_lru_vma() queues the new folio in this CPU's LRU batch.
      lruBatchAdd(env, page);
      putPage(s, page);
      return ret(0);
    }
    if (pte.t === 'p') {
      if (!l.write || pte.w) return ret(0);
      if (v.shm >= 0) {
        mut(MM, p.pt)[l.vpn] = { t: 'p', page: pte.page, w: true, d: true };
        return ret(0);
      }
      const pg = s.phys[pte.page];
      const head = pg?.head;
      if (head !== undefined && hugeKind(s, p, l.vpn) === 'p') {
        // do_huge_pmd_wp_page(): the pmd is reused whole, or split and the fault falls back to the pte.
        if (hugePmdReusable(s, head)) {
          reuseHugePmd(s, l.pid, l.vpn);
          return ret(0);
        }
        splitHugePmd(s, l.pid, l.vpn);
      }
      // do_wp_page(): reuse an exclusive anonymous page, or one nobody else holds a reference to.
      // A page of a large folio: PageAnonExclusive first, then the folio's rule (thp.ts).
      const sole =
        !!pg &&
        (head === undefined
          ? pg.ref === 1 && pg.map === 1 && pg.pin === 0
          : pg.ax === true && !largeFolioShared(s, l.pid, head));
      if (pte.page !== ZERO_PAGE && pg && (sole || (s.cfg.exactMm === true && pg.ax === true))) {
        mut(MM, p.pt)[l.vpn] = { t: 'p', page: pte.page, w: true, d: true };
        mut(PAGES, pg).ax = true;
        return ret(0);
      }
      if (head !== undefined && !largeFolioShared(s, l.pid, head))
        throw new ThpNotModelled(
          `THP: copy-on-write of page ${pte.page} of a large folio (head ${head}) only this process maps: whether it is reused differs by release`,
        );
      l.page = pte.page;
      return call('mmu_invalidate_start', invalidateArgs(l.pid, l.vpn, l.vpn + 1, 'clear'), 'cow');
    }
    if (pte.t === 'd' && hugeKind(s, p, l.vpn) === 'd') {
      // do_huge_pmd_device_private() (mm/huge_memory.c, Balbir Singh's device-private THP series).
      const head = folioHead(s, pte.page);
      if (!tryLock(env, pageLock(head), 'w', { trylock: true })) return ret(0);
      l.page = head;
      l.locked = true;
      l.pmd = true;
      return goto('ref');
    }
    if (pte.t === 'd') {
      l.page = pte.page;
      l.locked = false;
      const how = kernelRule(s.cfg, 'do_swap_page_device_private');
      if (how !== 'reference') {
        // 6.15 and later: trylock_page() under the PTL, before the reference (the page's folio:
        // a pte-mapped device-private THP locks as one).
        const lock = pageLock(folioHead(s, pte.page));
        if (!tryLock(env, lock, 'w', { trylock: true })) {
          // Contended: drop the PTL; 6.15 returns at once (the access retries, spinning), 7.0
          // first sleeps until the page is unlocked (then this step runs again: the retried fault).
          if (how === 'trylock-retry') return ret(0);
          return block({ k: 'unlocked', name: lock });
        }
        l.locked = true;
      }
      return goto('ref');
    }
    if (pte.t === 'x') {
      // remove_device_exclusive_entry(): the folio lock first (lock_page_or_retry() / since 6.15
      // folio_lock_or_retry(), the same wait), so an access waits while make_device_exclusive()'s
      // caller still programs its device with the folio locked.
      l.page = pte.page;
      const lock = pageLock(s.phys[pte.page]?.head ?? pte.page);
      if (!tryLock(env, lock, 'w')) return block({ k: 'lock', name: lock, mode: 'w' });
      return call('mmu_invalidate_start', invalidateArgs(l.pid, l.vpn, l.vpn + 1, 'exclusive'), 'unexcl');
    }
    return goto('mwait');
  },
  unexcl(env, l) {
    // restore_exclusive_pte(): the pte maps the page again, writable if the entry was.
    const s = env.s;
    const pte = s.procs[l.pid]?.pt[l.vpn] ?? null;
    const v = vmaAt(s, l.pid, l.vpn);
    if (pte && pte.t === 'x' && pte.page === l.page)
      restoreExclusive(s, l.pid, l.vpn, pte.w && v?.prot === 'rw');
    unlock(env, pageLock(s.phys[l.page]?.head ?? l.page));
    invalidateEnd(env, l.pid);
    return ret(0);
  },
  cow(env, l) {
    const s = env.s;
    const pte = s.procs[l.pid]?.pt[l.vpn] ?? null;
    // pte_same() failed: somebody changed the entry while the notifiers ran; retry the fault.
    if (!pte || pte.t !== 'p' || pte.page !== l.page || pte.w) {
      invalidateEnd(env, l.pid);
      return ret(0);
    }
    const page = allocSysPage(s);
    if (page < 0) {
      invalidateEnd(env, l.pid);
      return ret('OOM');
    }
    const np = s.phys[page];
    if (np) mut(PAGES, np).data = l.page === ZERO_PAGE ? 0 : (s.phys[l.page]?.data ?? 0);
    setPte(s, l.pid, l.vpn, { t: 'p', page, w: true, d: true });
    const v = vmaAt(s, l.pid, l.vpn);
    if (v) newAnonPage(s, v, page);
    // wp_page_copy(): folio_add_lru_vma() of the copy.
    lruBatchAdd(env, page);
    putPage(s, page);
    invalidateEnd(env, l.pid);
    return ret(0);
  },
  ref(env, l) {
    // "Get a page reference while we know the page can't be freed": get_page() under the PTL
    // (do_swap_page, mm/memory.c), then pte_unmap_unlock and the call: another CPU may run in
    // between, and the reference keeps the page from being freed under migrate_to_ram.
    getPage(env.s, l.page);
    return yieldTo('swap');
  },
  swap(env, l) {
    const pg = env.s.phys[l.page];
    if (!pg || pg.free)
      throw new KernelBug('no-pte-to-freed-page', 'memory-safety', {
        code: 'migrate-to-ram-freed-page',
        at: { page: l.page, pid: l.pid, vpn: l.vpn },
        data: { page: l.page },
      });
    // From do_huge_pmd_device_private() vmf->pte is NULL: `pmd` tells the driver (test_hmm reads it).
    const args = { page: l.page, pid: l.pid, vpn: l.vpn, ...(l.pmd ? { pmd: true } : {}) };
    return call(driverProcName('migrate_to_ram'), args, 'swapped');
  },
  swapped(_env, l, r) {
    l.res = r === 'SIGBUS' ? 'SIGBUS' : 0;
    // The reference do_swap_page took is dropped after migrate_to_ram returns: a window in which
    // the page's data has left but the page is not free yet.
    return yieldTo('put');
  },
  put(env, l) {
    // 6.15 and later: unlock_page() before put_page() ("Put page after unlocking page"); the lock
    // is the folio's, which a split during the migration may have made the page's own.
    if (l.locked) unlock(env, pageLock(folioHead(env.s, l.page)));
    putPage(env.s, l.page);
    return ret(l.res);
  },
  mwait(env, l) {
    const pte = env.s.procs[l.pid]?.pt[l.vpn] ?? null;
    const lock = pte ? pageLock(folioHead(env.s, pte.page)) : '';
    if (pte && pte.t === 'm' && isLocked(env.s, lock)) return block({ k: 'unlocked', name: lock });
    return ret(0);
  },
});
