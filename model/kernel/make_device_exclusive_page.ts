// make_device_exclusive() (mm/rmap.c, Linux 6.15 and later; kernelRules.ts make_device_exclusive
// 'one-pte'), read in a stored mm/rmap.c of that form (the `retry:` loop, the owner argument, no
// folio_remove_rmap_pte()) and David Hildenbrand's 6.15 series "mm: fixes for device-exclusive
// entries (hmm)". One page at a time, no rmap walk:
//   retry: get_user_page_vma_remote(FOLL_GET | FOLL_WRITE | FOLL_SPLIT_PMD) faults the page in
//          writable (breaking COW, restoring another device's exclusive entry, bringing a
//          device-private page back); not anonymous: -EOPNOTSUPP;
//   folio_lock_killable() (a sleeping lock, where 6.1 trylocked);
//   one MMU_NOTIFY_EXCLUSIVE invalidation of [addr, addr + PAGE_SIZE) with the caller's owner;
//   folio_walk_start(): the same page, mapped by a pte, writable, or unlock, put and `goto retry`;
//   ptep_clear_flush() and a device-exclusive entry in its place, which keeps the pte's reference
//   and, since "mm/rmap: keep mapcount untouched for device-exclusive entries", its mapcount
//   (kernelRules.ts device_exclusive_mapcount).
// Returns the page with its folio still locked and GUP's reference held: the caller programs its
// device, then folio_unlock() + folio_put(); a CPU access after that revokes the exclusive access.
import { call, defineProc, goto, ret, block } from '../proc.js';
import { pageLock, tryLock, unlock } from '../locks.js';
import { getPage, putPage, setPte, vmaAt } from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import { invalidateArgs } from './invalidate.js';
import { hugeMapped, splitHugePmd } from './thp.js';
import { kernelRule } from '../kernelRules.js';
import type { Config } from '../config.js';

/** What make_device_exclusive() hands back: an errno, or the page and the folio (head) it locked. */
export interface DeviceExclusivePage {
  err: string;
  page: number;
  folio: number;
}

/**
 * Which entry point the release exports for device-exclusive access (lib/test_hmm.c's
 * dmirror_exclusive() calls the one its release has): make_device_exclusive_range() up to 6.12,
 * make_device_exclusive() from 6.15 on.
 */
export function deviceExclusiveApi(
  cfg: Pick<Config, 'kernel'>,
): 'make_device_exclusive_range' | 'make_device_exclusive' {
  return kernelRule(cfg, 'make_device_exclusive') === 'one-pte'
    ? 'make_device_exclusive'
    : 'make_device_exclusive_range';
}

interface L {
  pid: number;
  vpn: number;
  owner: number;
  page: number;
  folio: number;
}

const fail = (err: string): ReturnType<typeof ret> =>
  ret({ err, page: -1, folio: -1 } satisfies DeviceExclusivePage);

export const makeDeviceExclusive = defineProc<L>('make_device_exclusive', {
  start(_env, l) {
    l.page = -1;
    l.folio = -1;
    return goto('gup');
  },
  gup(env, l) {
    // get_user_page_vma_remote() -> __get_user_pages(): check_vma_flags() refuses a missing or
    // read-only VMA (-EFAULT); FOLL_SPLIT_PMD splits a huge pmd before the page is taken.
    const s = env.s;
    const v = vmaAt(s, l.pid, l.vpn);
    if (!v || v.prot !== 'rw') return fail('EFAULT');
    if (hugeMapped(s.cfg, s.procs[l.pid], l.vpn)) splitHugePmd(s, l.pid, l.vpn);
    const pte = s.procs[l.pid]?.pt[l.vpn] ?? null;
    if (pte && pte.t === 'p' && pte.w) {
      getPage(s, pte.page);
      l.page = pte.page;
      // folio_test_anon() || folio_test_hugetlb(): only anonymous folios.
      if ((s.phys[pte.page]?.shm ?? -1) >= 0) {
        putPage(s, pte.page);
        return fail('EOPNOTSUPP');
      }
      l.folio = s.phys[pte.page]?.head ?? pte.page;
      return goto('lock');
    }
    return call('handle_mm_fault', { pid: l.pid, vpn: l.vpn, write: true }, 'faulted');
  },
  faulted(_env, _l, r) {
    // faultin_page(): VM_FAULT_OOM is -ENOMEM, any other error -EFAULT; 0 walks again.
    if (r === 0) return goto('gup');
    return fail(r === 'OOM' ? 'ENOMEM' : 'EFAULT');
  },
  lock(env, l) {
    // folio_lock_killable(): sleeps until the folio is unlocked (no fatal signals are modelled).
    if (!tryLock(env, pageLock(l.folio), 'w'))
      return block({ k: 'lock', name: pageLock(l.folio), mode: 'w' });
    return call(
      'mmu_invalidate_start',
      invalidateArgs(l.pid, l.vpn, l.vpn + 1, 'exclusive', l.owner),
      'walk',
    );
  },
  walk(env, l) {
    // folio_walk_start(): the same page, at pte level, still writable; otherwise undo and retry.
    const s = env.s;
    const p = s.procs[l.pid];
    const pte = p?.pt[l.vpn] ?? null;
    if (!p || !pte || pte.t !== 'p' || pte.page !== l.page || !pte.w || hugeMapped(s.cfg, p, l.vpn)) {
      invalidateEnd(env, l.pid);
      unlock(env, pageLock(l.folio));
      putPage(s, l.page);
      l.page = -1;
      l.folio = -1;
      return goto('gup');
    }
    // ptep_clear_flush() + set_pte_at(make_device_exclusive_entry()): the entry takes the pte's
    // reference, and its mapcount as the release's rule says (setPte moves both as pteMapped says).
    setPte(s, l.pid, l.vpn, { t: 'x', page: l.page, w: true });
    invalidateEnd(env, l.pid);
    return ret({ err: '0', page: l.page, folio: l.folio } satisfies DeviceExclusivePage);
  },
});
