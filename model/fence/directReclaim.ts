// Direct reclaim: an allocation under memory pressure runs the shrinkers with fs_reclaim held
// (mm/vmscan.c, shrink_slab). A GPU driver's shrinker may wait on dma_fences
// (drivers/dma-buf/dma-fence.c, "fence signalling annotation"), which is why code that signals a
// dma_fence must not allocate with GFP_KERNEL.
import { driverProcName } from '../driver.js';
import { FS_RECLAIM } from '../lockdep/pseudoLocks.js';
import { enterSection, leaveSection } from '../lockdep/sections.js';
import { call, defineProc, goto, ret } from '../proc.js';

export const directReclaim = defineProc<{ pid: number }>('direct_reclaim', {
  start(env) {
    enterSection(env, FS_RECLAIM);
    if (env.procs.has(driverProcName('shrink'))) return call(driverProcName('shrink'), {}, 'done');
    return goto('done');
  },
  done(env) {
    leaveSection(env, FS_RECLAIM);
    return ret(0);
  },
});
