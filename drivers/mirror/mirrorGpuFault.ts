// The mirror's GPU fault handler: migrate the faulting page to the GPU's VRAM, then mirror what the
// CPU page table says under the mmu_interval_notifier read_begin / read_retry protocol.
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, type HmmResult } from '../../model/kernel/hmm.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { readBegin, readRetry } from '../../model/notifier.js';
import {
  block,
  call,
  count,
  defineProc,
  goto,
  ret,
  spinTo,
  yieldTo,
  type Env,
  type StepResult,
} from '../../model/proc.js';
import { mirrorLock } from './mirrorLock.js';
import { mirrorOwner } from './mirrorOwner.js';
import { mirrorReachable } from './mirrorReachable.js';
import { mirrorNotifier } from './mirrorState.js';

/** Locals of the mirror's gpu_fault: the entry point's arguments and what the steps fill in. */
export interface MirrorFaultLocals {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  nid: number;
  seq: number;
  noMigrate: boolean;
  page: number;
  w: boolean;
}

/**
 * hmm_range_fault() of the faulting page with the sequence in `l.seq`, under mmap_lock taken for
 * read (or a block on it, the step running again once it can be had); returns to 'faulted'.
 */
export function mirrorRangeFault(env: Env, l: MirrorFaultLocals): StepResult {
  if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
  const req = [l.write ? 2 : 1];
  return call(
    'hmm_range_fault',
    { nid: l.nid, seq: l.seq, pid: l.pid, start: l.vpn, n: 1, req, owner: mirrorOwner(env, l.gpu) },
    'faulted',
  );
}

/**
 * gpu_fault - a GPU page fault as dmirror_fault() (lib/test_hmm.c) handles it, with nouveau's
 * policy of migrating the page to VRAM first (nouveau_svm_fault, seed 000): migrate_range to the
 * device, then mmu_interval_read_begin, hmm_range_fault of the one page under mmap_lock, and under
 * the driver mutex either mmu_interval_read_retry says something moved (start again) or the GPU PTE
 * is written (dmirror_do_fault). A write to a read-only device page (after fork) brings the page
 * back to system memory first, so that the retried fault can break COW.
 *
 * Context: takes mmap_lock for read around hmm_range_fault and the driver mutex for the commit,
 * both may block; mmu_interval_read_begin may block while an invalidation runs.
 * Return: 0 (mapped), 'EFAULT' (a page this GPU cannot reach) or hmm_range_fault's error.
 */
export const mirrorGpuFault = defineProc<MirrorFaultLocals>('gpu_fault', {
  start(env, l) {
    l.nid = mirrorNotifier(env.s, l.gpu, l.pid);
    if (l.noMigrate) return goto('begin');
    // Resolve locality first, then mirror what the CPU page table says (seed 000).
    return call(
      'drv:migrate_range',
      { gpu: l.gpu, pid: l.pid, start: l.vpn, n: 1, to: 'dev', locked: false, mig: -1, nomem: false },
      'begin',
    );
  },
  begin(env, l) {
    const seq = readBegin(env.s, l.nid);
    if (seq === null) return block({ k: 'notifier', id: l.nid });
    l.seq = seq;
    return mirrorRangeFault(env, l);
  },
  faulted(env, l, r) {
    unlock(env, mmapLock(l.pid));
    const res = r as HmmResult;
    if (res.err === 'EBUSY') return goto('busy');
    if (res.err !== '0') return ret(res.err);
    const pfn = res.pfns[0] ?? -1;
    l.page = pfnPage(pfn);
    l.w = pfnWrite(pfn);
    if (l.write && !l.w) {
      // Our own device page, read-only after fork: bring it to system memory so the write can COW.
      count(env, 'write fault on read-only device page');
      l.noMigrate = true;
      return call(
        'drv:migrate_range',
        { gpu: l.gpu, pid: l.pid, start: l.vpn, n: 1, to: 'sys', locked: false, mig: -1, nomem: false },
        'retry',
      );
    }
    // Preemption point: between hmm_range_fault and taking the driver lock.
    return yieldTo('commit');
  },
  /** hmm_range_fault said the sequence moved: take a new one (mmu_interval_read_begin) and fault again. */
  busy(env) {
    count(env, 'hmm_range_fault -EBUSY');
    return spinTo('begin');
  },
  retry() {
    // The page may not have moved (another CPU holds it in do_swap_page): let others run first.
    return spinTo('begin');
  },
  commit(env, l) {
    const s = env.s;
    if (!tryLock(env, mirrorLock(l.gpu), 'w'))
      return block({ k: 'lock', name: mirrorLock(l.gpu), mode: 'w' });
    if (readRetry(s, l.nid, l.seq)) {
      unlock(env, mirrorLock(l.gpu));
      count(env, 'mmu_interval_read_retry');
      return spinTo('begin');
    }
    const page = l.page;
    if (!mirrorReachable(s, l.gpu, page)) {
      unlock(env, mirrorLock(l.gpu));
      return ret('EFAULT');
    }
    gpuMap(env, l.gpu, l.pid, l.vpn, page, l.w);
    unlock(env, mirrorLock(l.gpu));
    return ret(0);
  },
});
