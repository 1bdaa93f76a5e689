// The foundation's reference driver, shaped like lib/test_hmm.c (dmirror) with nouveau's policy of
// migrating to VRAM on a GPU fault: one mmu_interval_notifier per (GPU, process) mirror, faults
// resolved by hmm_range_fault under mmap_lock and committed under the driver mutex only if
// mmu_interval_read_retry() says nothing moved; every invalidation zaps the mirror.
// Broken variants (drivers/broken/) are this driver with some steps replaced (withSteps, the public
// API), so each differs from it by exactly its bug; the driver itself carries no bug switches.
import { unbindDevmem } from '../common/unbindDevmem.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap, gpuZap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, type HmmResult } from '../../model/kernel/hmm.js';
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage, allocSysPage, vmaAt } from '../../model/mem.js';
import { notifierInsert, readBegin, readRetry, setSeq } from '../../model/notifier.js';
import {
  block,
  call,
  count,
  defineProc,
  emit,
  goto,
  ret,
  spinTo,
  yieldTo,
  type Env,
} from '../../model/proc.js';
import type { Config, State } from '../../model/types.js';
import { PAGES, driverState, mut } from '../../model/touched.js';
import { mirrorLock } from './mirrorLock.js';
import { mirrorReachable } from './mirrorReachable.js';

/** Locals of the mirror's migrate_range (the caller passes them all). */
export interface MirrorMigrateRangeLocals {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
  locked: boolean;
  mig: number;
  nomem: boolean;
}

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

/** Locals of the mirror's migrate_to_ram. */
export interface MirrorMigrateToRamLocals {
  page: number;
  pid: number;
  vpn: number;
  mig: number;
  nomem: boolean;
}

/** Locals of the mirror's invalidate callback. */
export interface MirrorInvalidateLocals {
  nid: number;
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  seq: number;
}

/** Locals of the mirror's migrate request. */
export interface MirrorMigrateLocals {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
}

interface DrvState {
  nids: Record<string, number>;
}

function mirrorNotifier(s: State, gpu: number, pid: number): number {
  const d = driverState<DrvState>(s);
  const key = `${gpu}:${pid}`;
  let id = d.nids[key];
  if (id === undefined || !s.notifiers[id]?.alive) {
    // Like dmirror_fops_open: the mirror watches the whole address space.
    id = notifierInsert(s, pid, 0, s.cfg.vaPages, gpu);
    d.nids[key] = id;
  }
  return id;
}

export function makeMirrorDriver(name: string, summary: string): Omit<Driver, 'broken'> {
  const owner = (_cfg: Config, gpu: number): number => gpu + 1;
  // Through the driver under test, so a variant that overrides pgmapOwner is asked (env.drv).
  const ownerOf = (env: Env, gpu: number): number => env.drv.pgmapOwner(env.s.cfg, gpu);

  const migrateRange = defineProc<MirrorMigrateRangeLocals>('migrate_range', {
    start(env, l) {
      if (!l.locked) {
        if (!tryLock(env, mmapLock(l.pid), 'r'))
          return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
      }
      const v = vmaAt(env.s, l.pid, l.start);
      if (!v) return finish(env, l, 'EINVAL');
      l.n = Math.min(l.n, v.end - l.start);
      const sel =
        l.to === 'dev' ? { sys: true, priv: false, coh: false } : { sys: false, priv: true, coh: true };
      return call(
        'migrate_vma_setup',
        { pid: l.pid, start: l.start, n: l.n, owner: ownerOf(env, l.gpu), sel, faultPage: -1 },
        'setup',
      );
    },
    setup(env, l, r) {
      const res = r as SetupResult;
      if (res.err !== '0') return finish(env, l, res.err);
      l.mig = res.mig;
      if (res.cpages === 0) return goto('fin');
      // The copy engine runs: other activities may run meanwhile.
      return yieldTo('copy');
    },
    copy(env, l) {
      const s = env.s;
      const m = migrationById(s, l.mig);
      m.src.forEach((src, i) => {
        if (!src.migrate || (src.hole && l.to === 'sys')) return;
        const dst = l.to === 'dev' ? allocDevPage(s, l.gpu) : allocSysPage(s);
        if (dst < 0) {
          l.nomem = true;
          return;
        }
        const d = s.phys[dst];
        if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
        m.dst[i] = dst;
      });
      return call('migrate_vma_pages', { mig: l.mig }, 'fin');
    },
    fin(env, l) {
      if (l.mig >= 0) {
        const { cpages, done } = migrateVmaFinalize(env, l.mig);
        emit(env, { e: 'migrate', pid: l.pid, start: l.start, n: l.n, cpages, done, to: l.to });
        count(env, `migrate to ${l.to}`);
        if (done === 0) count(env, `migration to ${l.to} moved nothing`);
        else if (done < l.n) count(env, 'partial migration');
      }
      return finish(env, l, '0');
    },
  });

  function finish(env: Env, l: { pid: number; locked: boolean }, err: string): ReturnType<typeof ret> {
    if (!l.locked) unlock(env, mmapLock(l.pid));
    return ret(err === '0' ? 0 : err);
  }

  const gpuFault = defineProc<MirrorFaultLocals>('gpu_fault', {
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
      if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
      const req = [l.write ? 2 : 1];
      return call(
        'hmm_range_fault',
        { nid: l.nid, seq, pid: l.pid, start: l.vpn, n: 1, req, owner: ownerOf(env, l.gpu) },
        'faulted',
      );
    },
    faulted(env, l, r) {
      unlock(env, mmapLock(l.pid));
      const res = r as HmmResult;
      if (res.err === 'EBUSY') {
        count(env, 'hmm_range_fault -EBUSY');
        return spinTo('begin');
      }
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

  const migrateToRam = defineProc<MirrorMigrateToRamLocals>('migrate_to_ram', {
    start(env, l) {
      const owner = env.s.phys[l.page]?.owner ?? -1;
      const sel = { sys: false, priv: true, coh: false };
      return call(
        'migrate_vma_setup',
        { pid: l.pid, start: l.vpn, n: 1, owner, sel, faultPage: l.page },
        'setup',
      );
    },
    setup(_env, l, r) {
      const res = r as SetupResult;
      if (res.err !== '0') return ret('SIGBUS');
      l.mig = res.mig;
      return res.cpages === 0 ? goto('fin') : yieldTo('copy');
    },
    copy(env, l) {
      const s = env.s;
      const m = migrationById(s, l.mig);
      m.src.forEach((src, i) => {
        if (!src.migrate || src.hole) return;
        const dst = allocSysPage(s);
        if (dst < 0) {
          l.nomem = true;
          return;
        }
        const d = s.phys[dst];
        if (d) mut(PAGES, d).data = s.phys[src.page]?.data ?? 0;
        m.dst[i] = dst;
      });
      return call('migrate_vma_pages', { mig: l.mig }, 'fin');
    },
    fin(env, l) {
      const { cpages, done } = migrateVmaFinalize(env, l.mig);
      emit(env, { e: 'migrate', pid: l.pid, start: l.vpn, n: 1, cpages, done, to: 'sys' });
      count(env, 'migrate_to_ram');
      return ret(l.nomem ? 'SIGBUS' : 0);
    },
  });

  const invalidate = defineProc<MirrorInvalidateLocals>('invalidate', {
    start(env, l) {
      if (!tryLock(env, mirrorLock(l.tag), 'w'))
        return block({ k: 'lock', name: mirrorLock(l.tag), mode: 'w' });
      setSeq(env.s, l.nid, l.seq);
      gpuZap(env, l.tag, l.pid, l.start, l.end);
      unlock(env, mirrorLock(l.tag));
      return ret(true);
    },
  });

  const migrate = defineProc<MirrorMigrateLocals>('migrate', {
    start(_env, l) {
      const args = {
        gpu: l.gpu,
        pid: l.pid,
        start: l.start,
        n: l.n,
        to: l.to,
        locked: false,
        mig: -1,
        nomem: false,
      };
      return call('drv:migrate_range', args, 'done');
    },
    done(_env, _l, r) {
      return ret(r);
    },
  });

  return {
    name,
    summary,
    init: (): DrvState => ({ nids: {} }),
    pgmapOwner: owner,
    procs: {
      gpu_fault: gpuFault,
      migrate_to_ram: migrateToRam,
      invalidate,
      migrate,
      migrate_range: migrateRange,
      unbind: unbindDevmem,
    },
  };
}
