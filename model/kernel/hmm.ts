// hmm_range_fault() (mm/hmm.c): snapshot the CPU page table into a pfn array, faulting in only the
// pages whose request flags say so (seed 000_a6ddbdfb26957c57.txt: "hmm_range_fault() will never do
// faulting" beyond what was requested). Device-private pages of the caller's owner are reported as
// they are; other owners' are faulted back to system memory when a fault is requested, else left
// invalid. -EBUSY when the interval's sequence moved, -EFAULT outside a VMA or on PROT_NONE when a
// fault was requested, -EPERM for a write fault on a read-only VMA. Like hmm_vma_fault(), a fault
// covers every page from the first one that needs it to the end of its VMA and page-table page
// (pmd), so later pages of that segment (own device-private pages too) are faulted as well.
// A huge pmd is reported whole with its order (hmm_vma_handle_pmd() for a THP,
// hmm_vma_handle_absent_pmd() for our own device-private pmd entry): HmmResult.orders.
import { block, busyTo, call, defineProc, emit, goto, ret, spinTo } from '../proc.js';
import { kernelRule } from '../kernelRules.js';
import { folioHead, hugeKind } from './thp.js';
import { pteKey } from '../mem.js';
import { isLocked, pageLock } from '../locks.js';
import { vmaAt } from '../mem.js';
import { pmdEnd, pmdPages } from './pmd.js';
import { readRetry } from '../notifier.js';
import { filled } from '../filled.js';

/** Per-page request: 0 snapshot only, 1 HMM_PFN_REQ_FAULT, 2 REQ_FAULT | REQ_WRITE. */
export type HmmReq = 0 | 1 | 2;

export const PFN_NONE = -1;
export const PFN_ERROR = -2;
export const pfnPage = (pfn: number): number => pfn >> 1;
export const pfnWrite = (pfn: number): boolean => pfn >= 0 && (pfn & 1) === 1;
const pfn = (page: number, w: boolean): number => page * 2 + (w ? 1 : 0);

export interface HmmResult {
  err: string;
  pfns: number[];
  /** hmm_pfn_to_map_order() per page where a huge pmd maps it (absent: every page order 0). */
  orders?: number[];
}

/** HPAGE_PMD_ORDER of the configuration. */
export const pmdOrder = (s: { cfg: Parameters<typeof pmdPages>[0] }): number => Math.log2(pmdPages(s.cfg));

interface L {
  nid: number;
  seq: number;
  pid: number;
  start: number;
  n: number;
  req: HmmReq[];
  owner: number;
  pfns: number[];
  i: number;
  /** The page hmm_vma_fault() is faulting and the end of its segment. */
  fv: number;
  fend: number;
  /** The first faulted page's pte before the fault, to tell a fault that changed nothing. */
  before: string;
  /** Orders of the pages a huge pmd maps, set on the first one met. */
  orders?: number[];
}

export const hmmRangeFault = defineProc<L>('hmm_range_fault', {
  start(_env, l) {
    l.pfns = filled<number>(l.n, PFN_NONE);
    l.i = 0;
    return goto('walk');
  },
  walk(env, l) {
    const s = env.s;
    if (readRetry(s, l.nid, l.seq)) return finish(env, l, 'EBUSY');
    const p = s.procs[l.pid];
    if (!p || !p.alive) return finish(env, l, 'EFAULT');
    for (; l.i < l.n; l.i++) {
      const vpn = l.start + l.i;
      const req = l.req[l.i] ?? 0;
      const v = vmaAt(s, l.pid, vpn);
      if (!v || v.prot === 'none') {
        if (req) return finish(env, l, 'EFAULT');
        l.pfns[l.i] = PFN_ERROR;
        continue;
      }
      const pte = p.pt[vpn] ?? null;
      const wantW = req === 2;
      const huge = hugeKind(s, p, vpn);
      if (huge && pte && (huge === 'p' || (huge === 'd' && s.phys[pte.page]?.owner === l.owner))) {
        // hmm_vma_handle_pmd() (a THP: faulted only for a write it does not allow) and
        // hmm_vma_handle_absent_pmd() (our own device-private pmd entry, as it is): the pmd's order.
        const w = pte.w && v.prot === 'rw';
        if (huge === 'p' && wantW && !w) return goto('fault');
        l.pfns[l.i] = pfn(pte.page, w);
        (l.orders ??= filled<number>(l.n, 0))[l.i] = pmdOrder(s);
        continue;
      }
      if (pte === null) {
        if (req) return goto('fault');
        l.pfns[l.i] = PFN_NONE;
        continue;
      }
      if (pte.t === 'p') {
        const w = pte.w && v.prot === 'rw';
        if (wantW && !w) return goto('fault');
        l.pfns[l.i] = pfn(pte.page, w);
        continue;
      }
      if (pte.t === 'd') {
        if (s.phys[pte.page]?.owner === l.owner) {
          l.pfns[l.i] = pfn(pte.page, pte.w && v.prot === 'rw');
          continue;
        }
        if (req) return goto('fault');
        l.pfns[l.i] = PFN_NONE;
        continue;
      }
      if (pte.t === 'x') {
        // A device-exclusive entry is faulted back (remove_device_exclusive_entry) only on request.
        if (req) return goto('fault');
        l.pfns[l.i] = PFN_NONE;
        continue;
      }
      // Migration entry: wait for the migration to finish, then walk again.
      if (req) return goto('mwait');
      l.pfns[l.i] = PFN_NONE;
    }
    return finish(env, l, '0');
  },
  fault(env, l) {
    const vpn = l.start + l.i;
    const v = vmaAt(env.s, l.pid, vpn);
    l.before = pteKey(env.s.procs[l.pid]?.pt[vpn] ?? null);
    const write = l.req[l.i] === 2;
    if (write && v?.prot !== 'rw') return finish(env, l, 'EPERM');
    l.fv = vpn;
    l.fend = Math.min(l.start + l.n, v ? v.end : vpn + 1, pmdEnd(env.s.cfg, vpn));
    return goto('fnext');
  },
  fnext(env, l) {
    if (l.fv >= l.fend) {
      // A fault that changed nothing (page busy) returns -EBUSY and the walk starts again; other
      // CPUs run meanwhile. hmm_range_fault()'s do { walk_page_range() } while (ret == -EBUSY) has
      // no cond_resched(): when the fault only failed do_swap_page()'s trylock of a device-private
      // folio and returned at once (6.15's trylock-retry), nothing on that path may sleep, so the
      // retry keeps its CPU under PREEMPT_NONE and VOLUNTARY (b570f37a2ce4, "mm: Fix a
      // hmm_range_fault() livelock / starvation problem", made the fault sleep instead).
      const s = env.s;
      const pte = s.procs[l.pid]?.pt[l.start + l.i] ?? null;
      if (pteKey(pte) !== l.before) return goto('walk');
      const contended =
        pte?.t === 'd' &&
        kernelRule(s.cfg, 'do_swap_page_device_private') === 'trylock-retry' &&
        isLocked(s, pageLock(pte.page));
      return contended ? busyTo('walk') : spinTo('walk');
    }
    return call('handle_mm_fault', { pid: l.pid, vpn: l.fv, write: l.req[l.i] === 2 }, 'faulted');
  },
  faulted(env, l, r) {
    if (r !== 0) return finish(env, l, 'EFAULT');
    l.fv++;
    return goto('fnext');
  },
  mwait(env, l) {
    const pte = env.s.procs[l.pid]?.pt[l.start + l.i] ?? null;
    const lock = pte ? pageLock(folioHead(env.s, pte.page)) : '';
    if (pte && pte.t === 'm' && isLocked(env.s, lock)) return block({ k: 'unlocked', name: lock });
    return goto('walk');
  },
});

function finish(env: Parameters<typeof emit>[0], l: L, err: string): ReturnType<typeof ret> {
  emit(env, { e: 'hmm', pid: l.pid, start: l.start, n: l.n, err });
  const result: HmmResult = {
    err,
    pfns: err === '0' ? l.pfns : [],
    ...(err === '0' && l.orders ? { orders: l.orders } : {}),
  };
  return ret(result);
}
