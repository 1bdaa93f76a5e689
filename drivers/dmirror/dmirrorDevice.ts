// The file operations of /dev/hmm_dmirrorN that are not ioctls, and the ioctls that manage device
// memory: open (dmirror_fops_open: a new mirror with an interval notifier over the whole address
// space), release (dmirror_fops_release: notifier removed, then every chunk of the device evicted to
// system memory), HMM_DMIRROR_RELEASE (dmirror_device_remove_chunks: evict, then memunmap_pages(),
// which waits forever for a page the eviction could not move) and HMM_DMIRROR_CHECK_EXCLUSIVE.
import type { EvictResult } from '../../model/kernel/migrate_device_range.js';
import { KernelOops } from '../../model/kernelOops.js';
import { notifierInsert, notifierRemove } from '../../model/notifier.js';
import { call, defineProc, ret } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import type { DmResult } from './dmirrorCmd.js';
import { dmState, mirrorById, mirrorErase } from './dmirrorState.js';

/** dmirror_fops_open(): returns the new mirror's id. */
export function dmirrorOpen(s: State, dev: number, pid: number): number {
  const d = dmState(s);
  const id = d.mirrors.length;
  const nid = notifierInsert(s, pid, 0, s.cfg.vaPages, id);
  d.byNid[nid] = id;
  d.mirrors.push({ id, dev, pid, nid, alive: true, pt: {} });
  return id;
}

/** dmirror_check_atomic(): -EPERM while any page of the range has an ATOMIC entry (no mutex taken). */
export function dmirrorCheckExclusive(s: State, mid: number, start: number, n: number): DmResult {
  const m = mirrorById(s, mid);
  for (let vpn = start; vpn < start + n; vpn++)
    if (m.pt[vpn]?.tag === 'a') return { err: 'EPERM', cpages: 0, faults: 0 };
  return { err: '0', cpages: 0, faults: 0 };
}

export const dmirrorClose = defineProc<{ m: number }>('dmirror_close', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    notifierRemove(env.s, m.nid);
    return call('migrate_device_range', { gpu: m.dev }, 'evicted');
  },
  evicted(env, l) {
    const m = mirrorById(env.s, l.m);
    for (const vpn of Object.keys(m.pt)) mirrorErase(env, m, Number(vpn));
    m.alive = false;
    return ret(0);
  },
});

export const dmirrorRelease = defineProc<{ m: number }>('dmirror_release_chunks', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    return call('migrate_device_range', { gpu: m.dev }, 'evicted');
  },
  evicted(env, l, r) {
    const m = mirrorById(env.s, l.m);
    const left = (r as EvictResult).left;
    if (left.length)
      throw new KernelOops('hang', {
        code: 'dmirror-release-hang',
        at: { gpu: m.dev },
        data: { dev: m.dev, left: left.length },
      });
    return ret({ err: '0', cpages: 0, faults: 0 } satisfies DmResult);
  },
});
