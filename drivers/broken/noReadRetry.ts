// The mirror that maps its hmm_range_fault snapshot without mmu_interval_read_retry(): one step replaced.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { ret } from '../../model/proc.js';
import { mirror } from '../mirror.js';
import type { MirrorFaultLocals } from '../mirror/mirrorGpuFault.js';
import { mirrorLock } from '../mirror/mirrorLock.js';
import { mirrorReachable } from '../mirror/mirrorReachable.js';

/** Programs GPU PTEs from a hmm_range_fault snapshot without checking that no invalidation ran since. */
export const noReadRetry: Driver = defineDriver(
  withSteps<MirrorFaultLocals>(
    mirror,
    'gpu_fault',
    {
      commit(env, l) {
        const s = env.s;
        const b = lockOrBlock(env, mirrorLock(l.gpu), 'w');
        if (b) return b;
        // The bug: no mmu_interval_read_retry() here; the snapshot may be stale.
        if (!mirrorReachable(s, l.gpu, l.page)) {
          unlock(env, mirrorLock(l.gpu));
          return ret('EFAULT');
        }
        gpuMap(env, l.gpu, l.pid, l.vpn, l.page, l.w);
        unlock(env, mirrorLock(l.gpu));
        return ret(0);
      },
    },
    {
      name: 'no-read-retry',
      summary: 'reference mirror that skips mmu_interval_read_retry() before programming GPU PTEs',
      broken: {
        bug: 'GPU PTEs programmed from a stale hmm_range_fault snapshot: an invalidation that ran between the snapshot and the driver lock is missed',
        fix: 'the mmu_interval_read_begin/read_retry protocol of Documentation/mm/hmm.rst ("Address space mirroring implementation and API")',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'GPU fault takes a hmm_range_fault snapshot; munmap or exit invalidates before the driver lock',
          'the driver maps the stale pfn without mmu_interval_read_retry: the GPU reaches a freed page',
        ],
      },
    },
  ),
);
