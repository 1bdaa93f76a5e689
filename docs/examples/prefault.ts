// Seed 000's question, as a driver: on a GPU fault, mirror the whole VMA around the faulting page
// (prefault) instead of the one page. Everything else is the built-in mirror driver.
import { defineDriver, gpuMap, invoke, kernel, lockOrBlock, mirror, mmapLock, pfnPage, pfnWrite } from 'svmcheck/driver';
import { readBegin, readRetry, spinTo, ret, unlock, vmaAt, withSteps, yieldTo, block } from 'svmcheck/driver';
import type { MirrorFaultLocals } from 'svmcheck/driver';

interface Locals extends MirrorFaultLocals {
  /** The pages mirrored: the faulting page's whole VMA. */
  first: number;
  pfns: number[];
}

export default defineDriver(
  withSteps<Locals>(
    mirror,
    'gpu_fault',
    {
      begin(env, l) {
        const seq = readBegin(env.s, l.nid);
        if (seq === null) return block({ k: 'notifier', id: l.nid });
        l.seq = seq;
        const b = lockOrBlock(env, mmapLock(l.pid), 'r');
        if (b) return b;
        const v = vmaAt(env.s, l.pid, l.vpn);
        if (!v) {
          unlock(env, mmapLock(l.pid));
          return ret('EFAULT');
        }
        l.first = v.start;
        // Fault in every page of the VMA; the faulting page for write if the GPU wrote.
        const req = Array.from({ length: v.end - v.start }, (_, i) => (v.start + i === l.vpn && l.write ? 2 : 1) as 1 | 2);
        const owner = env.drv.pgmapOwner(env.s.cfg, l.gpu);
        return invoke(kernel.hmmRangeFault, { nid: l.nid, seq, pid: l.pid, start: v.start, n: req.length, req, owner }, 'faulted');
      },
      faulted(env, l, r) {
        unlock(env, mmapLock(l.pid));
        const res = kernel.hmmRangeFault.result(r);
        if (res.err === 'EBUSY') return spinTo('begin');
        if (res.err !== '0') return ret(res.err);
        l.pfns = res.pfns;
        return yieldTo('commit');
      },
      commit(env, l) {
        const lock = `driver_mutex:gpu${l.gpu}`;
        const b = lockOrBlock(env, lock, 'w');
        if (b) return b;
        if (readRetry(env.s, l.nid, l.seq)) {
          unlock(env, lock);
          return spinTo('begin');
        }
        // BUG (on purpose, the guide's first counterexample): every page gets the faulting page's
        // permission, so a read-only page (the zero page, a COW-shared page) is mapped writable.
        const w = pfnWrite(l.pfns[l.vpn - l.first] ?? -1);
        l.pfns.forEach((pfn, i) => {
          if (pfn >= 0) gpuMap(env, l.gpu, l.pid, l.first + i, pfnPage(pfn), w);
        });
        unlock(env, lock);
        return ret(0);
      },
    },
    { name: 'prefault', summary: 'mirror that maps the whole VMA around a GPU fault (seed 000)' },
  ),
);
