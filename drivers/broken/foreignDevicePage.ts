// The mirror with one dev_pagemap owner for every GPU, mapping another GPU's device page as its own VRAM.
import { defineDriver } from '../../api/defineDriver.js';
import { withSteps } from '../../api/withSteps.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap } from '../../model/gpu.js';
import { unlock } from '../../model/locks.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { count, ret, spinTo } from '../../model/proc.js';
import { readRetry } from '../../model/notifier.js';
import { mirror } from '../mirror.js';
import type { MirrorFaultLocals } from '../mirror/mirrorGpuFault.js';
import { mirrorLock } from '../mirror/mirrorLock.js';
import { mirrorReachable } from '../mirror/mirrorReachable.js';

/** Gets other GPUs' device-private pages from hmm_range_fault and maps them as its own VRAM. */
export const foreignDevicePage: Driver = defineDriver({
  ...withSteps<MirrorFaultLocals>(
    mirror,
    'gpu_fault',
    {
      commit(env, l) {
        const s = env.s;
        const b = lockOrBlock(env, mirrorLock(l.gpu), 'w');
        if (b) return b;
        // The bug: a device page of another GPU (one pgmap owner for all) is taken for local VRAM.
        const h = s.phys[l.page]?.gpu ?? -1;
        const own = s.cfg.gpus[l.gpu]?.vram ?? 1;
        const page =
          h < 0 || h === l.gpu ? l.page : (s.vramBase[l.gpu] ?? 0) + ((l.page - (s.vramBase[h] ?? 0)) % own);
        if (readRetry(s, l.nid, l.seq)) {
          unlock(env, mirrorLock(l.gpu));
          count(env, 'mmu_interval_read_retry');
          return spinTo('begin');
        }
        if (!mirrorReachable(s, l.gpu, page)) {
          unlock(env, mirrorLock(l.gpu));
          return ret('EFAULT');
        }
        gpuMap(env, l.gpu, l.pid, l.vpn, page, l.w);
        unlock(env, mirrorLock(l.gpu));
        return ret(0);
      },
    },
    {
      name: 'foreign-device-page',
      summary:
        'mirror that passes one pgmap owner for every GPU and maps each device-private page it gets back as local VRAM',
      broken: {
        bug: "another device's device-private page is mapped as if it were local VRAM (the GPU reaches a different page than the CPU's)",
        fix: 'mm/hmm: check the device private page owner in hmm_range_fault()',
        expects: 'coherence',
        layer: 'multi-gpu',
        scenario: [
          'gpu0 migrates a page into its device-private VRAM; gpu1 faults on it',
          'hmm_range_fault hands the foreign page back (shared owner) and gpu1 maps it as its own VRAM',
        ],
      },
    },
  ),
  // Every GPU's device pages get the same pgmap owner: hmm_range_fault hands foreign pages back.
  pgmapOwner: () => 1,
});
