// The reference svm_range driver whose set_attr splits the overlapping ranges at the request's
// bounds before svm_range_is_valid, and keeps the splits when the request is rejected: set_attr's
// 'validate' step replaced by one that splits first, then runs the reference's own (withSteps and
// stepOf, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { stepOf } from '../../api/stepOf.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import type { State } from '../../model/types.js';
import { reference } from '../reference.js';
import { addToTree, splitRange } from '../svm/rangeOps.js';
import type { SvmSetAttrLocals } from '../svm/svmAttrs.js';
import { treeRanges } from '../svm/svmState.js';

/** svm_range_split at start and at end of every tree range that straddles them, outside any transaction. */
function splitAtBounds(s: State, pid: number, start: number, end: number): void {
  for (const r of treeRanges(s, pid)) {
    if (r.start < start && r.last >= start) addToTree(s, splitRange(s, r, start, r.last));
  }
  for (const r of treeRanges(s, pid)) {
    if (r.start < end && r.last >= end) addToTree(s, splitRange(s, r, r.start, end - 1));
  }
}

const validate = stepOf<SvmSetAttrLocals>(reference, 'set_attr', 'validate');

export const svmHalfSplit: Driver = defineDriver(
  withSteps<SvmSetAttrLocals>(
    reference,
    'set_attr',
    {
      validate(env, l, r) {
        // The bug: the ranges are split before the request is checked, and nothing rolls it back.
        splitAtBounds(env.s, l.pid, l.start, l.end);
        return validate(env, l, r);
      },
    },
    {
      name: 'svm-half-split',
      summary:
        'svm_range driver whose set_attr splits ranges before svm_range_is_valid and does not roll back',
      broken: {
        bug: 'a set_attr rejected with -EFAULT/-EADDRINUSE leaves ranges half split: the transaction is not atomic',
        fix: 'drm/amdkfd: "svm_range_add: make update transactional" (clone + insert/remove lists in kfd_svm.c)',
        expects: 'range',
        layer: 'svm_range',
        scenario: [
          'set_attr over an existing range reaching past the VMA',
          "the range is split at the request's bounds before -EFAULT, and the split stays",
        ],
      },
    },
  ),
);
