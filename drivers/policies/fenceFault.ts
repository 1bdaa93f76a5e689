// The GPU fault handler in amdkfd's order (svm_range_restore_pages -> svm_range_validate_and_map),
// with the memory side the fence rules are about: under mmap_lock, make room in VRAM (which may
// evict a buffer object and wait on its fences), migrate, reserve the VM's page directory
// (dma_resv), hmm_range_fault, then take the notifier lock, check mmu_interval_read_retry and map.
import { gpuMap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, type HmmResult } from '../../model/kernel/hmm.js';
import { mightLock } from '../../model/lockdep/recordDependency.js';
import { MMU_NOTIFIER_MAP } from '../../model/lockdep/pseudoLocks.js';
import { dmaResvLock, pdResv } from '../../model/fence/dmaResv.js';
import { mightAlloc } from '../../model/fence/mightAlloc.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { isDevicePage, vmaAt } from '../../model/mem.js';
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
  type Proc,
} from '../../model/proc.js';
import type { Config, State } from '../../model/types.js';
import { freeVramPages, mirrorNotifier, notifierLock, reachable } from './fenceDriverState.js';

interface L {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  nid: number;
  seq: number;
  /** Do not migrate (the page must go to system memory first, or is there already). */
  noMigrate: boolean;
  page: number;
  w: boolean;
}

/** The fault would migrate the page into this GPU's VRAM: it is not device memory yet. */
function wantsVram(s: State, l: L): boolean {
  if (l.noMigrate || !vmaAt(s, l.pid, l.vpn)) return false;
  const pte = s.procs[l.pid]?.pt[l.vpn] ?? null;
  return pte === null || (pte.t === 'p' && !isDevicePage(s, pte.page));
}

function unwind(env: Env, l: L, resv: boolean): void {
  if (resv) unlock(env, pdResv(l.gpu, l.pid));
  unlock(env, mmapLock(l.pid));
}

export function fenceFault(pgmapOwner: (cfg: Config, gpu: number) => number): Proc {
  return defineProc<L>('gpu_fault', {
    start(env, l) {
      l.nid = mirrorNotifier(env.s, l.gpu, l.pid);
      return goto('mm');
    },
    mm(env, l) {
      if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
      // svm_fault_allowed: no VMA is -EFAULT, a write to a read-only VMA -EPERM (no retry loop).
      const v = vmaAt(env.s, l.pid, l.vpn);
      if (!v || v.prot === 'none' || (l.write && v.prot !== 'rw')) {
        unlock(env, mmapLock(l.pid));
        return ret(v ? 'EPERM' : 'EFAULT');
      }
      if (!wantsVram(env.s, l)) return goto('resv');
      // svm_range_vram_node_new: allocating the VRAM backing may evict a buffer object first.
      mightAlloc(env, 'the VRAM backing of the range (svm_range_vram_node_new)', 'GFP_KERNEL');
      if (freeVramPages(env.s, l.gpu) > 0) return goto('migrate');
      return call('drv:evict', { gpu: l.gpu, except: -1, by: 'eviction', bo: -1 }, 'migrate');
    },
    migrate(_env, l) {
      const args = {
        gpu: l.gpu,
        pid: l.pid,
        start: l.vpn,
        n: 1,
        to: 'dev',
        locked: true,
        mig: -1,
        nomem: false,
      };
      return call('drv:migrate_range', args, 'resv');
    },
    resv(env, l) {
      if (!dmaResvLock(env, pdResv(l.gpu, l.pid)))
        return block({ k: 'lock', name: pdResv(l.gpu, l.pid), mode: 'w' });
      return goto('begin');
    },
    begin(env, l) {
      // mmu_interval_read_begin() takes the notifier map for lockdep: it may sleep on invalidations.
      mightLock(env, MMU_NOTIFIER_MAP);
      const seq = readBegin(env.s, l.nid);
      if (seq === null) return block({ k: 'notifier', id: l.nid });
      l.seq = seq;
      const req = [l.write ? 2 : 1];
      const owner = pgmapOwner(env.s.cfg, l.gpu);
      return call(
        'hmm_range_fault',
        { nid: l.nid, seq, pid: l.pid, start: l.vpn, n: 1, req, owner },
        'faulted',
      );
    },
    faulted(env, l, r) {
      const res = r as HmmResult;
      if (res.err === 'EBUSY') {
        unwind(env, l, true);
        count(env, 'hmm_range_fault -EBUSY');
        return spinTo('mm');
      }
      if (res.err !== '0') {
        unwind(env, l, true);
        return ret(res.err);
      }
      const pfn = res.pfns[0] ?? -1;
      l.page = pfnPage(pfn);
      l.w = pfnWrite(pfn);
      if (l.write && !l.w) {
        // Our own device page, read-only after fork: to system memory so that the write can COW.
        unlock(env, pdResv(l.gpu, l.pid));
        l.noMigrate = true;
        const args = {
          gpu: l.gpu,
          pid: l.pid,
          start: l.vpn,
          n: 1,
          to: 'sys',
          locked: true,
          mig: -1,
          nomem: false,
        };
        return call('drv:migrate_range', args, 'retry');
      }
      // Preemption point: between hmm_range_fault and the notifier lock (svm_range_lock).
      return yieldTo('commit');
    },
    retry(env, l) {
      // The page may not have moved (somebody holds a reference): fault again after others ran.
      unlock(env, mmapLock(l.pid));
      return spinTo('mm');
    },
    commit(env, l) {
      const s = env.s;
      if (!tryLock(env, notifierLock(l.gpu), 'w'))
        return block({ k: 'lock', name: notifierLock(l.gpu), mode: 'w' });
      if (readRetry(s, l.nid, l.seq)) {
        unlock(env, notifierLock(l.gpu));
        unwind(env, l, true);
        count(env, 'mmu_interval_read_retry');
        return spinTo('mm');
      }
      const ok = reachable(s, l.gpu, l.page);
      if (ok) gpuMap(env, l.gpu, l.pid, l.vpn, l.page, l.w);
      unlock(env, notifierLock(l.gpu));
      unwind(env, l, true);
      return ret(ok ? 0 : 'EFAULT');
    },
  });
}
