// The mirror whose -EBUSY retry calls hmm_range_fault() again with the old sequence: its 'faulted'
// step retries at a step of its own ('refault') instead of 'begin' (mmu_interval_read_begin).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { pfnPage, pfnWrite, type HmmResult } from '../../model/kernel/hmm.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { call, count, ret, spinTo, yieldTo } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorFaultLocals } from '../mirror/mirrorGpuFault.js';

/** Retries hmm_range_fault on -EBUSY with the sequence it read before the loop: a livelock. */
export const mirrorStaleSeqRetry: Driver = defineDriver(
  withSteps<MirrorFaultLocals>(
    mirror,
    'gpu_fault',
    {
      faulted(env, l, r) {
        unlock(env, mmapLock(l.pid));
        const res = r as HmmResult;
        if (res.err === 'EBUSY') {
          count(env, 'hmm_range_fault -EBUSY');
          // The bug: retry with the sequence read before, not a new mmu_interval_read_begin().
          return spinTo('refault');
        }
        if (res.err !== '0') return ret(res.err);
        const pfn = res.pfns[0] ?? -1;
        l.page = pfnPage(pfn);
        l.w = pfnWrite(pfn);
        if (l.write && !l.w) {
          count(env, 'write fault on read-only device page');
          l.noMigrate = true;
          return call(
            'drv:migrate_range',
            { gpu: l.gpu, pid: l.pid, start: l.vpn, n: 1, to: 'sys', locked: false, mig: -1, nomem: false },
            'retry',
          );
        }
        return yieldTo('commit');
      },
      refault(env, l) {
        const b = lockOrBlock(env, mmapLock(l.pid), 'r');
        if (b) return b;
        const req = [l.write ? 2 : 1];
        const owner = env.drv.pgmapOwner(env.s.cfg, l.gpu);
        return call(
          'hmm_range_fault',
          { nid: l.nid, seq: l.seq, pid: l.pid, start: l.vpn, n: 1, req, owner },
          'faulted',
        );
      },
    },
    {
      name: 'mirror-stale-seq-retry',
      summary:
        'reference mirror whose -EBUSY retry calls hmm_range_fault() again without a new mmu_interval_read_begin()',
      broken: {
        bug: 'after one invalidation the notifier sequence never matches again: hmm_range_fault() returns -EBUSY forever and the GPU fault never completes',
        fix: 'take a new sequence with mmu_interval_read_begin() on every retry, as the loop in Documentation/mm/hmm.rst ("Address space mirroring implementation and API") does: "again: range.notifier_seq = mmu_interval_read_begin(...)"',
        expects: 'progress',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault reads the notifier sequence, then an invalidation (munmap, COW, migration) bumps it',
          'hmm_range_fault() sees the stale sequence and returns -EBUSY; the driver retries with the same one, forever',
        ],
      },
    },
  ),
);
