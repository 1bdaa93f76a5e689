// A driver in the shape drm_gpusvm (drivers/gpu/drm/drm_gpusvm.c) gives xe: ranges are chunks
// chosen inside the VMA on GPU fault; a range is never split — an UNMAP, even partial, queues the
// whole range for the garbage collector, which evicts its device pages, unbinds and removes it;
// get_pages runs hmm_range_fault and marks the pages valid under the notifier lock only if
// mmu_interval_read_retry allows; binding re-checks pages_valid under the same lock. A range
// lives in one place: mixed device and system pages make get_pages fail (-EOPNOTSUPP), and the
// driver evicts the range and retries.
import { unbindDevmem } from '../common/unbindDevmem.js';
import type { Driver } from '../../model/driver.js';
import { gpuMap, gpuZap } from '../../model/gpu.js';
import { pfnPage, pfnWrite, type HmmReq, type HmmResult } from '../../model/kernel/hmm.js';
import { migrateVmaFinalize, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage, allocSysPage, isDevicePage, vmaAt } from '../../model/mem.js';
import { notifierInsert, notifierRemove, readBegin, readRetry, setSeq } from '../../model/notifier.js';
import { gpusvmRefs } from './gpusvmRefs.js';
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
import { allocAndCopy } from '../common/allocAndCopy.js';
import {
  gpusvm,
  notifierLock,
  rangeAt,
  SCALED_GEOMETRY,
  svmLock,
  type GpusvmGeometry,
  type GpusvmRange,
  type GpusvmState,
} from './gpusvmState.js';

const owner = (_cfg: Config, gpu: number): number => gpu + 1;

function unbind(env: Env, r: GpusvmRange): void {
  for (let g = 0; g < env.s.cfg.gpus.length; g++) gpuZap(env, g, r.pid, r.start, r.last + 1);
  r.bound = 0;
  r.pagesValid = false;
}

function removeRange(s: State, r: GpusvmRange): void {
  const st = gpusvm(s);
  st.ranges = st.ranges.filter((x) => x !== r);
  st.gc = st.gc.filter((x) => x !== r.id);
  // A notifier with no range left is removed too.
  if (!st.ranges.some((x) => x.nid === r.nid)) {
    notifierRemove(s, r.nid);
    st.notifiers = st.notifiers.filter((n) => n.nid !== r.nid);
  }
}

/**
 * drm_gpusvm_check_pages: hmm_range_fault without HMM_PFN_REQ_FAULT over the chunk finds every
 * page valid: present in the CPU page table, or a device-private page of the faulting device's
 * owner (another owner's is not faulted, so not valid); a migration entry is not valid either.
 */
function cpuPagesPresent(s: State, pid: number, gpu: number, start: number, last: number): boolean {
  for (let x = start; x <= last; x++) {
    const pte = s.procs[pid]?.pt[x] ?? null;
    if (!pte || pte.t === 'm') return false;
    if (pte.t === 'd' && s.phys[pte.page]?.owner !== owner(s.cfg, gpu)) return false;
  }
  return true;
}

/**
 * drm_gpusvm_range_find_or_insert via drm_gpusvm_range_chunk_size: the largest aligned chunk inside
 * the VMA and the notifier that overlaps no range, and (at or below check_pages_threshold) whose CPU
 * pages are all present.
 */
function findOrInsert(
  s: State,
  pid: number,
  gpu: number,
  vpn: number,
  geo: GpusvmGeometry,
): GpusvmRange | null {
  const found = rangeAt(s, pid, vpn);
  if (found && !found.unmapped) return found;
  const v = vmaAt(s, pid, vpn);
  if (!v) return null;
  const st = gpusvm(s);
  const span = geo.notifierPages;
  for (const c of geo.chunks) {
    const start = Math.floor(vpn / c) * c;
    const last = start + c - 1;
    if (start < v.start || last >= v.end) continue;
    if (st.ranges.some((r) => r.pid === pid && r.start <= last && r.last >= start)) continue;
    if (c <= (geo.checkPagesThreshold ?? 0) && !cpuPagesPresent(s, pid, gpu, start, last)) continue;
    const bs = Math.floor(vpn / span) * span;
    let n = st.notifiers.find((x) => x.pid === pid && x.start === bs);
    if (!n) {
      n = {
        nid: notifierInsert(s, pid, bs, bs + span, -1),
        pid,
        start: bs,
        end: bs + span,
      };
      st.notifiers.push(n);
    }
    const r: GpusvmRange = {
      id: st.next++,
      pid,
      start,
      last,
      nid: n.nid,
      pagesValid: false,
      bound: 0,
      unmapped: false,
      partialUnmap: false,
    };
    st.ranges.push(r);
    return r;
  }
  return null;
}

const migrateRange = defineProc<{
  rid: number;
  gpu: number;
  toDev: boolean;
  pid: number;
  mig: number;
  faultPage: number;
  segs: number[][];
}>('migrate_range', {
  start(env, l) {
    const s = env.s;
    const r = gpusvm(s).ranges.find((x) => x.id === l.rid);
    if (!r) return ret(0);
    l.pid = r.pid;
    // A range may straddle VMAs (mprotect split one): one migrate_vma per VMA segment.
    l.segs = [];
    for (let a = r.start; a <= r.last;) {
      const v = vmaAt(s, r.pid, a);
      if (!v) {
        a++;
        continue;
      }
      const end = Math.min(r.last + 1, v.end);
      l.segs.push([a, end - a]);
      a = end;
    }
    return goto('next');
  },
  next(env, l) {
    const seg = l.segs.shift();
    const r = gpusvm(env.s).ranges.find((x) => x.id === l.rid);
    if (!seg || !r) return ret(0);
    const sel = l.toDev ? { sys: true, priv: false, coh: false } : { sys: false, priv: true, coh: true };
    const own = l.toDev ? owner(env.s.cfg, l.gpu) : pageOwner(env.s, r);
    return call(
      'migrate_vma_setup',
      { pid: r.pid, start: seg[0], n: seg[1], owner: own, sel, faultPage: l.faultPage },
      'setup',
    );
  },
  setup(_env, l, r) {
    const res = r as SetupResult;
    if (res.err !== '0') return goto('next');
    l.mig = res.mig;
    return res.cpages === 0 ? goto('fin') : yieldTo('copy');
  },
  copy(env, l) {
    const s = env.s;
    allocAndCopy(s, l.mig, l.toDev, () => (l.toDev ? allocDevPage(s, l.gpu) : allocSysPage(s)));
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { cpages, done } = migrateVmaFinalize(env, l.mig);
    count(env, `migrate to ${l.toDev ? 'dev' : 'sys'}`);
    if (done < cpages) count(env, 'partial migration');
    return goto('next');
  },
});

/** The owner of the device pages a range holds (a range lives on one device). */
function pageOwner(s: State, r: GpusvmRange): number {
  for (let v = r.start; v <= r.last; v++) {
    const pte = s.procs[r.pid]?.pt[v] ?? null;
    if (pte && pte.t !== 'm' && isDevicePage(s, pte.page)) return s.phys[pte.page]?.owner ?? -1;
  }
  return -1;
}

/** Locals of gpusvm's gpu_fault, for variants that replace a step. */
export interface GpusvmFaultLocals {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  rid: number;
  migrated: boolean;
  tries: number;
  seq: number;
  pfns: number[];
}

const gpuFault = (geo: GpusvmGeometry): Proc =>
  defineProc<GpusvmFaultLocals>('gpu_fault', {
    start(env, l) {
      if (!tryLock(env, svmLock(l.pid), 'w')) return block({ k: 'lock', name: svmLock(l.pid), mode: 'w' });
      l.migrated = false;
      l.tries = 0;
      return goto('gc');
    },
    gc(env, l) {
      // Always process UNMAPs first, so the view of the ranges is current (drm_gpusvm's example).
      const s = env.s;
      const st: GpusvmState = gpusvm(s);
      const r = st.ranges.find((x) => x.id === st.gc[0]);
      if (!r) return goto('find');
      if (r.partialUnmap && pageOwner(s, r) >= 0 && !l.migrated) {
        l.migrated = true;
        return call(
          'drv:migrate_locked',
          { rid: r.id, gpu: -1, toDev: false, pid: r.pid, mig: -1, faultPage: -1 },
          'gc',
        );
      }
      unbind(env, r);
      removeRange(s, r);
      l.migrated = false;
      count(env, 'garbage collected range');
      return goto('gc');
    },
    find(env, l) {
      const v = vmaAt(env.s, l.pid, l.vpn);
      if (v && (v.prot === 'none' || (l.write && v.prot !== 'rw'))) return done(env, l, 'EPERM');
      const r = findOrInsert(env.s, l.pid, l.gpu, l.vpn, geo);
      if (!r) return done(env, l, 'EFAULT');
      l.rid = r.id;
      // Migration policy: a device-private GPU pulls the range into its VRAM once per fault.
      if (!l.migrated && env.s.cfg.gpus[l.gpu]?.mem === 'private') {
        l.migrated = true;
        return call(
          'drv:migrate_locked',
          { rid: r.id, gpu: l.gpu, toDev: true, pid: l.pid, mig: -1, faultPage: -1 },
          'pages',
        );
      }
      return goto('pages');
    },
    pages(env, l) {
      const s = env.s;
      const r = gpusvm(s).ranges.find((x) => x.id === l.rid);
      if (!r || r.unmapped) return spinTo('gc');
      const seq = readBegin(s, r.nid);
      if (seq === null) return block({ k: 'notifier', id: r.nid });
      if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
      l.seq = seq;
      // Fault every page of the range, for write where its VMA allows it. A page whose VMA an
      // mprotect(PROT_NONE) made unreadable is only looked at (HMM needs read permission to
      // fault): requesting it would fail the whole range with -EFAULT on every retry, and the
      // GPU could never reach the pages it may access.
      const req = Array.from({ length: r.last - r.start + 1 }, (_, i): HmmReq => {
        const prot = vmaAt(s, l.pid, r.start + i)?.prot;
        return prot === 'rw' ? 2 : prot === 'r' ? 1 : 0;
      });
      return call(
        'hmm_range_fault',
        { nid: r.nid, seq, pid: l.pid, start: r.start, n: req.length, req, owner: owner(s.cfg, l.gpu) },
        'got',
      );
    },
    got(env, l, res) {
      unlock(env, mmapLock(l.pid));
      const h = res as HmmResult;
      if (h.err === 'EBUSY') {
        // An invalidation ran: drm_gpusvm_get_pages retries until its timeout, which a fair
        // scheduler always lets it meet (a retry that never succeeds is a livelock, a lasso).
        count(env, 'hmm_range_fault -EBUSY');
        return spinTo('gc');
      }
      if (h.err !== '0') {
        // CPU mappings changed under us (-EFAULT/-EPERM): retry a few times.
        if (++l.tries > 3) return done(env, l, h.err);
        return spinTo('gc');
      }
      const s = env.s;
      const kinds = new Set(h.pfns.filter((p) => p >= 0).map((p) => s.phys[pfnPage(p)]?.gpu ?? -1));
      if (kinds.size > 1) {
        // Device and system pages in one range: -EOPNOTSUPP, evict to RAM and retry.
        count(env, 'get_pages -EOPNOTSUPP (mixed placement): evict');
        return call(
          'drv:migrate_locked',
          { rid: l.rid, gpu: -1, toDev: false, pid: l.pid, mig: -1, faultPage: -1 },
          'evicted',
        );
      }
      const r = gpusvm(s).ranges.find((x) => x.id === l.rid);
      const mine = h.pfns[l.vpn - (r?.start ?? l.vpn)] ?? -1;
      if (l.write && !pfnWrite(mine) && isDevicePage(s, pfnPage(mine))) {
        // hmm_range_fault never faults our own device pages (read-only after fork): evict so the write can COW.
        count(env, 'write fault on read-only device page');
        l.migrated = true;
        return call(
          'drv:migrate_locked',
          { rid: l.rid, gpu: -1, toDev: false, pid: l.pid, mig: -1, faultPage: -1 },
          'evicted',
        );
      }
      l.pfns = h.pfns;
      // Preemption point: between hmm_range_fault and the notifier lock.
      return yieldTo('commit');
    },
    evicted() {
      return spinTo('gc');
    },
    commit(env, l) {
      const s = env.s;
      const r = gpusvm(s).ranges.find((x) => x.id === l.rid);
      if (!tryLock(env, notifierLock, 'w')) return block({ k: 'lock', name: notifierLock, mode: 'w' });
      if (!r || readRetry(s, r.nid, l.seq)) {
        unlock(env, notifierLock);
        count(env, 'mmu_interval_read_retry');
        return spinTo('gc');
      }
      r.pagesValid = true;
      // Pages only looked at (no read permission) have no pfn to bind.
      l.pfns.forEach((pfn, i) => {
        if (pfn >= 0) gpuMap(env, l.gpu, r.pid, r.start + i, pfnPage(pfn), pfnWrite(pfn));
      });
      r.bound |= 1 << l.gpu;
      unlock(env, notifierLock);
      return done(env, l, 0);
    },
  });

function done(env: Env, l: GpusvmFaultLocals, v: unknown): ReturnType<typeof ret> {
  unlock(env, svmLock(l.pid));
  return ret(v);
}

const invalidate = defineProc<{
  nid: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  seq: number;
}>('invalidate', {
  start(env, l) {
    const s = env.s;
    if (!tryLock(env, notifierLock, 'w')) return block({ k: 'lock', name: notifierLock, mode: 'w' });
    setSeq(s, l.nid, l.seq);
    const st = gpusvm(s);
    for (const r of st.ranges.filter((x) => x.nid === l.nid && x.start < l.end && x.last >= l.start)) {
      unbind(env, r);
      if (l.event === 'unmap' || l.event === 'release') {
        r.partialUnmap = r.partialUnmap || l.start > r.start || l.end <= r.last;
        if (!r.unmapped) st.gc.push(r.id);
        r.unmapped = true;
      }
    }
    unlock(env, notifierLock);
    return ret(true);
  },
});

const migrateToRam = defineProc<{ page: number; pid: number; vpn: number; mig: number; rid: number }>(
  'migrate_to_ram',
  {
    start(env, l) {
      const s = env.s;
      const r = rangeAt(s, l.pid, l.vpn);
      const v = vmaAt(s, l.pid, l.vpn);
      // The whole device allocation around the fault comes back (drm_pagemap_migrate_to_ram).
      const start = r && v ? Math.max(r.start, v.start) : l.vpn;
      const end = r && v ? Math.min(r.last + 1, v.end) : l.vpn + 1;
      const sel = { sys: false, priv: true, coh: false };
      const own = s.phys[l.page]?.owner ?? -1;
      return call(
        'migrate_vma_setup',
        { pid: l.pid, start, n: end - start, owner: own, sel, faultPage: l.page },
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
      allocAndCopy(env.s, l.mig, false, () => allocSysPage(env.s));
      return call('migrate_vma_pages', { mig: l.mig }, 'fin');
    },
    fin(env, l) {
      migrateVmaFinalize(env, l.mig);
      count(env, 'migrate_to_ram');
      return ret(0);
    },
  },
);

const migrate = defineProc<{
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
  todo: number[];
}>('migrate', {
  start(env, l) {
    if (!tryLock(env, svmLock(l.pid), 'w')) return block({ k: 'lock', name: svmLock(l.pid), mode: 'w' });
    const last = l.start + l.n - 1;
    l.todo = gpusvm(env.s)
      .ranges.filter((r) => r.pid === l.pid && !r.unmapped && r.start <= last && r.last >= l.start)
      .map((r) => r.id);
    return goto('next');
  },
  next(env, l) {
    const rid = l.todo.shift();
    if (rid === undefined) {
      unlock(env, svmLock(l.pid));
      return ret(0);
    }
    const toDev = l.to === 'dev' && env.s.cfg.gpus[l.gpu]?.mem === 'private';
    if (l.to === 'dev' && !toDev) return goto('next');
    return call('drv:migrate_locked', { rid, gpu: l.gpu, toDev, pid: l.pid, mig: -1, faultPage: -1 }, 'next');
  },
});

/** migrate_range with mmap_lock held for read, for user requests. */
const migrateLocked = defineProc<{
  rid: number;
  gpu: number;
  toDev: boolean;
  pid: number;
  mig: number;
  faultPage: number;
}>('migrate_locked', {
  start(env, l) {
    if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    const args = { rid: l.rid, gpu: l.gpu, toDev: l.toDev, pid: l.pid, mig: l.mig, faultPage: l.faultPage };
    return call('drv:migrate_range', args, 'done');
  },
  done(env, l) {
    unlock(env, mmapLock(l.pid));
    return ret(0);
  },
});

export function makeGpusvmDriver(
  name: string,
  summary: string,
  geo: GpusvmGeometry = SCALED_GEOMETRY,
): Omit<Driver, 'broken'> {
  return {
    name,
    summary,
    init: (): GpusvmState => ({ ranges: [], notifiers: [], next: 0, gc: [] }),
    pgmapOwner: owner,
    procs: {
      gpu_fault: gpuFault(geo),
      migrate_to_ram: migrateToRam,
      invalidate,
      migrate,
      migrate_range: migrateRange,
      migrate_locked: migrateLocked,
      unbind: unbindDevmem,
    },
    refs: gpusvmRefs,
  };
}
