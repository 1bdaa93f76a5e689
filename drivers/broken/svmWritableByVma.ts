// The reference svm_range driver mapping GPU PTEs writable whenever the VMA is: its validate_and_map
// 'commit' step replaced (withSteps, the public override API).
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, PFN_ERROR, PFN_NONE } from '../../model/kernel/hmm.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { readRetry } from '../../model/notifier.js';
import { count, goto, ret } from '../../model/proc.js';
import { FLAG_GPU_RO } from '../../model/uapi.js';
import { reference } from '../reference.js';
import { gpuList } from '../svm/gpuList.js';
import type { SvmMapLocals } from '../svm/svmMap.js';
import { svmMapTarget } from '../svm/svmMapTarget.js';
import { children, rangeById, rangeLock } from '../svm/svmState.js';

export const svmWritableByVma: Driver = defineDriver(
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
        if (readRetry(s, r.nid, l.seq) || children(s, r.id).length > 0) {
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
            // The bug: writable whenever the VMA is, whatever the pfn's HMM_PFN_WRITE says.
            const w = !l.readonly && !(r.a.flags & FLAG_GPU_RO);
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
      name: 'svm-writable-by-vma',
      summary: 'svm_range driver that maps GPU PTEs writable whenever the VMA is writable',
      broken: {
        bug: "after fork the page is COW-shared and read-only for the CPU, but the GPU maps it writable and writes into the child's copy",
        fix: "map with the pfn's HMM_PFN_WRITE, not the VMA flags (kfd svm_range_map_to_gpu derives readonly from vm_flags)",
        expects: 'coherence',
        layer: 'fork-cow',
        scenario: [
          'a range is mapped on the GPU; the process forks, making its pages COW-shared',
          'a GPU write through a PTE made writable from the VMA flags lands in the page the child still reads',
        ],
      },
    },
  ),
);
