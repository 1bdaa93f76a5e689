// The reference svm_range driver whose validate_and_map commits without mmu_interval_read_retry():
// its 'commit' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, PFN_ERROR, PFN_NONE } from '../../model/kernel/hmm.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { count, goto, ret } from '../../model/proc.js';
import { FLAG_GPU_RO } from '../../model/uapi.js';
import { reference } from '../reference.js';
import { gpuList } from '../svm/gpuList.js';
import type { SvmMapLocals } from '../svm/svmMap.js';
import { svmMapTarget } from '../svm/svmMapTarget.js';
import { children, rangeById, rangeLock } from '../svm/svmState.js';

export const svmNoRetryCheck: Driver = defineDriver(
  withSteps<SvmMapLocals>(
    reference,
    'validate_and_map',
    {
      commit(env, l) {
        const s = env.s;
        const r = rangeById(s, l.rid);
        if (!r) return ret('EAGAIN');
        const b = lockOrBlock(env, rangeLock(r.id), 'w');
        if (b) return b;
        // The bug: no amdgpu_hmm_range_get_pages_done() (mmu_interval_read_retry) under the lock.
        if (children(s, r.id).length > 0) {
          unlock(env, rangeLock(r.id));
          count(env, 'validate_and_map -EAGAIN');
          return ret('EAGAIN');
        }
        for (const g of gpuList(l.gpus)) {
          const pages = l.pfns.map((pfn) =>
            pfn === PFN_NONE || pfn === PFN_ERROR ? -1 : svmMapTarget(s, r, g, pfnPage(pfn), false),
          );
          if (pages.some((p) => p < 0)) {
            count(env, 'GPU cannot reach VRAM of this range');
            continue;
          }
          pages.forEach((page, i) => {
            const vpn = l.addr + i;
            if (vpn < r.start || vpn > r.last) return;
            const w = !l.readonly && !(r.a.flags & FLAG_GPU_RO) && pfnWrite(l.pfns[i] ?? -1);
            gpuMap(env, g, r.pid, vpn, page, w);
            r.pm[vpn - r.start] = (r.pm[vpn - r.start] ?? 0) | (1 << g);
          });
        }
        unlock(env, rangeLock(r.id));
        l.addr = l.segEnd + 1;
        return goto('seg');
      },
    },
    {
      name: 'svm-no-retry-check',
      summary: 'svm_range driver whose validate_and_map skips amdgpu_hmm_range_get_pages_done()',
      broken: {
        bug: 'GPU PTEs are written from hmm_range_fault pages that an invalidation replaced between the snapshot and the range lock',
        fix: 'kfd_svm.c svm_range_validate_and_map step 4-b: amdgpu_hmm_range_get_pages_done() (mmu_interval_read_retry) under svm_range_lock',
        expects: 'coherence',
        layer: 'svm_range',
        scenario: [
          'a GPU fault snapshots a window with hmm_range_fault and is preempted before the range lock',
          'a CPU write breaks COW, or a migration moves the page, and the stale pfn is mapped anyway',
        ],
      },
    },
  ),
);
