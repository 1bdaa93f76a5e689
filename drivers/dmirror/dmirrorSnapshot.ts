// dmirror_snapshot() (HMM_DMIRROR_SNAPSHOT): in chunks of at most 64 pages, a temporary interval
// notifier over the chunk, hmm_range_fault() without fault flags under read_begin/read_retry, and
// one HMM_DMIRROR_PROT_* byte per page (dmirror_mkentry): PMD for a page hmm_range_fault()
// reported with the pmd's order (a THP, or a device-private THP where the release has them); no
// hugetlb here, so the PUD bit never appears.
import { PFN_ERROR, PFN_NONE, pfnPage, pfnWrite, pmdOrder, type HmmResult } from '../../model/kernel/hmm.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { ZERO_PAGE } from '../../model/mem.js';
import { notifierInsert, notifierRemove, readBegin, readRetry } from '../../model/notifier.js';
import { block, call, defineProc, goto, ret, spinTo } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import type { DmResult } from './dmirrorCmd.js';
import { DM_CHUNK } from './dmirrorFault.js';
import { dmMutex, dmOwner, dmState, mirrorById, type DmMirror } from './dmirrorState.js';
import { filled } from '../../model/filled.js';

/** HMM_DMIRROR_PROT_* (lib/test_hmm_uapi.h). */
export const PROT = {
  ERROR: 0xff,
  NONE: 0,
  READ: 1,
  WRITE: 2,
  PMD: 4,
  PUD: 8,
  ZERO: 0x10,
  DEV_PRIVATE_LOCAL: 0x20,
  DEV_PRIVATE_REMOTE: 0x30,
  DEV_COHERENT_LOCAL: 0x40,
  DEV_COHERENT_REMOTE: 0x50,
} as const;

/** dmirror_mkentry(); `order` is hmm_pfn_to_map_order() of the pfn. */
export function mkentry(s: State, m: DmMirror, pfn: number, order = 0): number {
  if (pfn === PFN_ERROR) return PROT.ERROR;
  if (pfn === PFN_NONE) return PROT.NONE;
  const page = pfnPage(pfn);
  const pg = s.phys[page];
  const dev = pg?.gpu ?? -1;
  let perm: number = PROT.NONE;
  if (dev >= 0 && s.cfg.gpus[dev]?.mem === 'private')
    perm = dev === m.dev ? PROT.DEV_PRIVATE_LOCAL : PROT.DEV_PRIVATE_REMOTE;
  else if (dev >= 0) perm = dev === m.dev ? PROT.DEV_COHERENT_LOCAL : PROT.DEV_COHERENT_REMOTE;
  else if (page === ZERO_PAGE) perm = PROT.ZERO;
  if (order > 0 && order === pmdOrder(s)) perm |= PROT.PMD;
  return perm | (pfnWrite(pfn) ? PROT.WRITE : PROT.READ);
}

interface L {
  m: number;
  start: number;
  n: number;
  addr: number;
  next: number;
  nid: number;
  seq: number;
  pfns: number[];
  orders?: number[];
  snap: number[];
}

export const dmirrorSnapshot = defineProc<L>('dmirror_snapshot', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    l.addr = l.start;
    l.snap = [];
    return goto('chunk');
  },
  chunk(env, l) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    if (l.addr >= l.start + l.n)
      return ret({ err: '0', cpages: l.n, faults: 0, snap: l.snap } satisfies DmResult);
    l.next = Math.min(l.addr + DM_CHUNK, l.start + l.n);
    // dmirror_range_snapshot(): a temporary notifier catches invalidations of this chunk only.
    l.nid = notifierInsert(s, m.pid, l.addr, l.next, -1 - m.id);
    dmState(s).byNid[l.nid] = -1 - m.id;
    return goto('begin');
  },
  begin(env, l) {
    const m = mirrorById(env.s, l.m);
    const seq = readBegin(env.s, l.nid);
    if (seq === null) return block({ k: 'notifier', id: l.nid });
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.seq = seq;
    const n = l.next - l.addr;
    const req = filled<number>(n, 0);
    const args = { nid: l.nid, seq, pid: m.pid, start: l.addr, n, req, owner: dmOwner(m.dev) };
    return call('hmm_range_fault', args, 'walked');
  },
  walked(env, l, r) {
    const m = mirrorById(env.s, l.m);
    unlock(env, mmapLock(m.pid));
    const res = r as HmmResult;
    if (res.err === 'EBUSY') return spinTo('begin');
    if (res.err !== '0') {
      notifierRemove(env.s, l.nid);
      return ret({ err: res.err, cpages: 0, faults: 0 } satisfies DmResult);
    }
    l.pfns = res.pfns;
    if (res.orders) l.orders = res.orders;
    else delete l.orders;
    return goto('commit');
  },
  commit(env, l) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    if (readRetry(s, l.nid, l.seq)) {
      unlock(env, dmMutex(m));
      return spinTo('begin');
    }
    l.pfns.forEach((pfn, i) => l.snap.push(mkentry(s, m, pfn, l.orders?.[i] ?? 0)));
    unlock(env, dmMutex(m));
    notifierRemove(s, l.nid);
    l.addr = l.next;
    return goto('chunk');
  },
});
