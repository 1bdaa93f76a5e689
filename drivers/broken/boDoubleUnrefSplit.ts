// The reference svm_range driver whose svm_range_split_nodes shares the VRAM node without taking a
// BO reference for the new piece: invalidate's 'unmap' step (munmap's svm_range_unmap_split)
// replaced by one that splits with that svm_range_split (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { unlock } from '../../model/locks.js';
import { bump, emit, ret } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { reference } from '../reference.js';
import { unmapSplit } from '../svm/rangeOps.js';
import { addListWork, unmapFromGpus, type SvmInvalidateLocals } from '../svm/svmNotifier.js';
import { children, draining, newRange, rangeById, rangeLock, type SvmRange } from '../svm/svmState.js';

/** svm_range_split whose svm_range_split_nodes copies prange->svm_bo without svm_range_bo_ref. */
function splitNoRef(s: State, r: SvmRange, start: number, last: number): SvmRange {
  const [ns, nl] = start === r.start ? [last + 1, r.last] : [r.start, start - 1];
  const n = newRange(s, r.pid, ns, nl, r.a);
  n.pm = r.pm.slice(ns - r.start, nl - r.start + 1);
  n.actual = r.actual;
  if (r.node) n.node = { bo: r.node.bo }; // the bug: no boRef
  r.pm = r.pm.slice(start - r.start, last - r.start + 1);
  r.start = start;
  r.last = last;
  return n;
}

export const boDoubleUnrefSplit: Driver = defineDriver(
  withSteps<SvmInvalidateLocals>(
    reference,
    'invalidate',
    {
      unmap(env, l) {
        const s = env.s;
        const r = rangeById(s, l.tag);
        if (!r) throw new Error(`invalidate: svm_range ${l.tag} vanished while its lock was held`);
        const last = l.end - 1;
        bump(env, draining(l.pid), 1);
        const whole = l.start <= r.start && last >= r.last;
        for (const c of children(s, r.id)) {
          unmapFromGpus(env, c, l.start, last);
          unmapSplit(s, r, c, l.start, last, splitNoRef);
        }
        unmapFromGpus(env, r, l.start, last);
        unmapSplit(s, r, r, l.start, last, splitNoRef);
        emit(env, {
          e: 'svm-range',
          pid: l.pid,
          start: l.start,
          last,
          what: whole ? 'unmapped, to be freed' : 'split by munmap',
        });
        addListWork(env, r, whole ? 'unmap' : 'update');
        unlock(env, rangeLock(r.id));
        return ret(true);
      },
    },
    {
      name: 'bo-double-unref-split',
      summary:
        'reference svm_range driver whose range split shares the VRAM node without a BO reference (svm_range_split_nodes)',
      broken: {
        bug: 'splitting a range shares its VRAM node without taking a reference, so both pieces drop one later',
        fix: 'kfd_svm.c svm_range_split_nodes: new->svm_bo = svm_range_bo_ref(old->svm_bo)',
        expects: 'refcount',
        layer: 'vram-bo',
        scenario: [
          'a range holding a BO node is split by a partial munmap',
          'the new piece shares the node without a reference; both pieces drop one later',
        ],
      },
    },
  ),
);
