// The reference svm_range driver whose GPU-fault migration window is the aligned granularity block,
// not clipped to the range: gpu_fault's 'window' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { call, emit } from '../../model/proc.js';
import { reference } from '../reference.js';
import { release, type SvmFaultLocals } from '../svm/svmFault.js';
import { rangeFromAddr } from '../svm/svmState.js';
import { granularityPages } from '../../model/uapi.js';

export const svmWindowUnclipped: Driver = defineDriver(
  withSteps<SvmFaultLocals>(
    reference,
    'gpu_fault',
    {
      window(env, l) {
        const r = rangeFromAddr(env.s, l.pid, l.vpn);
        if (!r) return release(env, l, 0);
        // The bug: ALIGN_DOWN(addr, size) .. ALIGN(addr + 1, size) - 1, with no max/min against the range.
        const size = granularityPages(r.a.gran);
        l.start = Math.floor(l.vpn / size) * size;
        l.last = Math.floor((l.vpn + size) / size) * size - 1;
        emit(env, {
          e: 'svm-window',
          pid: l.pid,
          start: l.start,
          last: l.last,
          rangeStart: r.start,
          rangeLast: r.last,
        });
        return call(
          'drv:svm_migrate',
          { rid: r.id, pid: l.pid, start: l.start, last: l.last, to: l.to },
          'map',
        );
      },
    },
    {
      name: 'svm-window-unclipped',
      summary:
        'svm_range driver whose GPU-fault migration window is ALIGN_DOWN/ALIGN of the granularity, not clipped to the range',
      broken: {
        bug: "the migration window of a fault reaches past its range (into a neighbour's pages or unmapped memory)",
        fix: 'kfd_svm.c svm_range_restore_pages: start = max(ALIGN_DOWN(addr, size), prange->start), last = min(ALIGN(addr + 1, size) - 1, prange->last)',
        expects: 'range',
        layer: 'svm_range',
        scenario: [
          'GPU fault on a small range inside a larger granularity block',
          'the migration window is the whole aligned block, reaching pages outside the range',
        ],
      },
    },
  ),
);
