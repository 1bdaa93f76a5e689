// gpusvm whose bind reaches one page past the range: its gpu_fault 'commit' step replaced (withSteps,
// the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, pfnWrite } from '../../model/kernel/hmm.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { readRetry } from '../../model/notifier.js';
import { count, ret, spinTo } from '../../model/proc.js';
import { gpusvm } from '../gpusvm.js';
import type { GpusvmFaultLocals } from '../gpusvm/makeGpusvmDriver.js';
import { gpusvm as gpusvmState, notifierLock, svmLock } from '../gpusvm/gpusvmState.js';

export const gpusvmMapPastRange: Driver = defineDriver(
  withSteps<GpusvmFaultLocals>(
    gpusvm,
    'gpu_fault',
    {
      commit(env, l) {
        const s = env.s;
        const r = gpusvmState(s).ranges.find((x) => x.id === l.rid);
        const b = lockOrBlock(env, notifierLock, 'w');
        if (b) return b;
        if (!r || readRetry(s, r.nid, l.seq)) {
          unlock(env, notifierLock);
          count(env, 'mmu_interval_read_retry');
          return spinTo('gc');
        }
        r.pagesValid = true;
        l.pfns.forEach((pfn, i) => {
          if (pfn >= 0) gpuMap(env, l.gpu, r.pid, r.start + i, pfnPage(pfn), pfnWrite(pfn));
        });
        // The bug: the bind reaches one page past the range, with the last pfn's neighbour.
        const last = l.pfns[l.pfns.length - 1] ?? -1;
        if (r.last + 1 < s.cfg.vaPages && last >= 0)
          gpuMap(env, l.gpu, r.pid, r.last + 1, pfnPage(last) + 1, pfnWrite(last));
        r.bound |= 1 << l.gpu;
        unlock(env, notifierLock);
        unlock(env, svmLock(l.pid));
        return ret(0);
      },
    },
    {
      name: 'gpusvm-map-past-range',
      summary: 'gpusvm whose bind reaches one page past the range',
      broken: {
        bug: 'the GPU binding covers a page outside the range, which no get_pages validated and no notifier of the range covers',
        fix: 'drm/gpusvm: fix hmm_pfn_to_map_order() usage',
        expects: 'coherence',
        layer: 'hmm-mirror',
        scenario: [
          'a GPU fault binds a chunk-sized range',
          'the bind uses a mapping order that reaches past the range end, mapping a neighbour VA to the wrong page',
        ],
      },
    },
  ),
);
