// mmu_notifier_invalidate_range_start(): marks the mm as invalidating, then calls every overlapping
// interval notifier's invalidate callback. The caller changes the page tables and then calls
// invalidateEnd(). Callbacks may sleep (driver locks), so this is a procedure, not a function.
import { call, defineProc, emit, goto, ret } from '../proc.js';
import { invalidateBegin, overlapping } from '../notifier.js';
import { driverProcName } from '../driver.js';
import { MMU_NOTIFIER_MAP } from '../lockdep/pseudoLocks.js';
import { enterSection, leaveSection } from '../lockdep/sections.js';
import type { NotifyEvent } from '../events.js';

interface L {
  pid: number;
  start: number;
  end: number;
  event: NotifyEvent;
  owner: number;
  seq: number;
  ids: number[];
  i: number;
}

export const mmuInvalidateStart = defineProc<L>('mmu_invalidate_start', {
  start(env, l) {
    l.seq = invalidateBegin(env, l.pid);
    l.ids = overlapping(env.s, l.pid, l.start, l.end);
    l.i = 0;
    emit(env, { e: 'notify', pid: l.pid, start: l.start, end: l.end, event: l.event, owner: l.owner });
    // mmu_notifier_invalidate_range_start() holds the lockdep map while the callbacks run.
    enterSection(env, MMU_NOTIFIER_MAP);
    return goto('next');
  },
  next(env, l) {
    const id = l.ids[l.i];
    if (id === undefined) {
      leaveSection(env, MMU_NOTIFIER_MAP);
      return ret(0);
    }
    l.i++;
    const n = env.s.notifiers[id];
    if (!n || !n.alive) return goto('next');
    return call(
      driverProcName('invalidate'),
      {
        nid: id,
        tag: n.tag,
        pid: l.pid,
        start: Math.max(l.start, n.start),
        end: Math.min(l.end, n.end),
        event: l.event,
        owner: l.owner,
        seq: l.seq,
      },
      'next',
    );
  },
});

export function invalidateArgs(
  pid: number,
  start: number,
  end: number,
  event: NotifyEvent,
  owner = -1,
): Record<string, unknown> {
  return { pid, start, end, event, owner };
}
