// The mirror's mmu_interval_notifier callback.
import { gpuZap } from '../../model/gpu.js';
import { tryLock, unlock } from '../../model/locks.js';
import { setSeq } from '../../model/notifier.js';
import { block, defineProc, goto, ret } from '../../model/proc.js';
import { mirrorLock } from './mirrorLock.js';

/** Locals of the mirror's invalidate callback. */
export interface MirrorInvalidateLocals {
  nid: number;
  /** The GPU whose mirror the notifier belongs to. */
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  seq: number;
}

/**
 * invalidate - dmirror_interval_invalidate() (lib/test_hmm.c): under the driver mutex,
 * mmu_interval_set_seq and zap the mirror over the invalidated range, for every event.
 * The steps 'seq' and 'zap' are the two things it does under the mutex, each a step of its own so
 * that a variant replaces one of them (stepOf/withSteps) instead of copying the callback; they
 * chain by goto, within one scheduler step, as one block of code would.
 *
 * Context: inside mmu_notifier_invalidate_range_start (blockable); takes the driver mutex, which
 * may block.
 * Return: true (a blockable invalidation never fails).
 */
export const mirrorInvalidate = defineProc<MirrorInvalidateLocals>('invalidate', {
  start(env, l) {
    if (!tryLock(env, mirrorLock(l.tag), 'w'))
      return block({ k: 'lock', name: mirrorLock(l.tag), mode: 'w' });
    return goto('seq');
  },
  /** mmu_interval_set_seq(): a fault that read the sequence before sees the invalidation. */
  seq(env, l) {
    setSeq(env.s, l.nid, l.seq);
    return goto('zap');
  },
  /** The GPU PTEs over the invalidated range go, whatever the event. */
  zap(env, l) {
    gpuZap(env, l.tag, l.pid, l.start, l.end);
    return goto('done');
  },
  done(env, l) {
    unlock(env, mirrorLock(l.tag));
    return ret(true);
  },
});
