// dmirror_interval_invalidate() and dmirror_snapshot_invalidate(). A mirror ignores
// MMU_NOTIFY_MIGRATE raised for its own device (the migration updates it itself); otherwise, under
// its mutex, it sets the interval sequence and drops its entries. Linux 6.1's dmirror_do_update()
// walks xa_for_each_range(start >> PAGE_SHIFT, end >> PAGE_SHIFT), whose last index is inclusive,
// so the entry of the page at `end` goes too: the model reproduces that over-invalidation.
import { tryLock, unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { block, defineProc, ret } from '../../model/proc.js';
import { dmMutex, dmOwner, dmState, mirrorById, mirrorErase } from './dmirrorState.js';

interface L {
  nid: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  owner: number;
  seq: number;
}

export const dmirrorInvalidate = defineProc<L>('invalidate', {
  start(env, l) {
    const k = dmState(env.s).byNid[l.nid];
    if (k === undefined) throw new Error(`dmirror model: notifier ${l.nid} is not a dmirror notifier`);
    const m = mirrorById(env.s, k >= 0 ? k : -1 - k);
    if (k >= 0 && l.event === 'migrate' && l.owner === dmOwner(m.dev)) return ret(true);
    if (!tryLock(env, dmMutex(m), 'w')) return block({ k: 'lock', name: dmMutex(m), mode: 'w' });
    setSeq(env.s, l.nid, l.seq);
    if (k >= 0) for (let vpn = l.start; vpn <= l.end; vpn++) if (vpn in m.pt) mirrorErase(env, m, vpn);
    unlock(env, dmMutex(m));
    return ret(true);
  },
});
