// drm_gpusvm_range_evict() (drivers/gpu/drm/drm_gpusvm.c at 0542972950ef26670a5696e43c0ea2b7b6ac96d4):
// hmm_range_fault() over the range with HMM_PFN_REQ_FAULT and no dev_private_owner, so every
// device-private page in it is faulted back to system memory by its owner's migrate_to_ram (which
// moves its whole device allocation); retried while it returns -EBUSY (the timeout is not modelled:
// a fair scheduler lets the retry through).
//
// Context: takes mmap_lock for read around hmm_range_fault(); no driver lock needed. Returns 0 or
// hmm_range_fault()'s error (-EFAULT, -EPERM).
import type { DriverProc } from '../../api/DriverProc.js';
import { defineDriverProc } from '../../api/defineDriverProc.js';
import { invoke } from '../../api/invoke.js';
import { kernel } from '../../api/kernel.js';
import { lockOrBlock } from '../../model/lockOrBlock.js';
import { mmapLock, unlock } from '../../model/locks.js';
import { readBegin } from '../../model/notifier.js';
import { block, count, spinTo } from '../../model/proc.js';
import { rangeById, xeView, type XeErr } from './xeState.js';

export interface XeRangeEvictArgs {
  rid: number;
  pid: number;
}

export const drmGpusvmRangeEvict: DriverProc<XeRangeEvictArgs, 0 | XeErr> = defineDriverProc<
  XeRangeEvictArgs,
  0 | XeErr
>('drm_gpusvm_range_evict', {
  start(env, l) {
    const s = env.s;
    const r = rangeById(xeView(s), l.rid);
    if (!r || !s.procs[l.pid]?.alive) return drmGpusvmRangeEvict.ret('EFAULT');
    const seq = readBegin(s, r.nid);
    if (seq === null) return block({ k: 'notifier', id: r.nid });
    const b = lockOrBlock(env, mmapLock(l.pid), 'r');
    if (b) return b;
    const n = r.last - r.start + 1;
    const req = Array.from({ length: n }, () => 1 as const);
    return invoke(
      kernel.hmmRangeFault,
      { nid: r.nid, seq, pid: l.pid, start: r.start, n, req, owner: -1 },
      'faulted',
    );
  },
  faulted(env, l, res) {
    unlock(env, mmapLock(l.pid));
    const h = kernel.hmmRangeFault.result(res);
    if (h.err === 'EBUSY') return spinTo('start');
    count(env, 'xe: drm_gpusvm_range_evict');
    return drmGpusvmRangeEvict.ret(h.err === '0' ? 0 : (h.err as XeErr));
  },
});
