// svm_range_set_attr and svm_range_get_attr. set_attr is a transaction: validate, then split,
// clone and fill under mmap_lock for write, then (downgraded to read) migrate to the prefetch
// location and map. A rejected request changes nothing.
import { gpuZap } from '../../model/gpu.js';
import { svmTransactionBegin } from '../../model/kernel/svmUapi.js';
import { mmapLock, mmapWriteDowngrade, tryLock, unlock } from '../../model/locks.js';
import { block, call, count, defineProc, emit, goto, ret, type Env, type Proc } from '../../model/proc.js';
import type { State } from '../../model/types.js';
import {
  aggregate,
  checkAttrs,
  FLAG_GPU_ALWAYS_MAPPED,
  FLAG_GPU_RO,
  LOC_SYSMEM,
  LOC_UNDEFINED,
  rangeValid,
  type Attr,
} from '../../model/uapi.js';
import { addRanges } from './rangeOps.js';
import type { SvmDesign } from './svmDesign.js';
import {
  deferredCount,
  rangeById,
  rangeLock,
  svmsLock,
  svmStateView,
  treeRangesView,
  type SvmRange,
} from './svmState.js';

const sameHive = (s: State, a: number, b: number): boolean =>
  a === b || s.cfg.gpus[a]?.hive === s.cfg.gpus[b]?.hive;

/** svm_range_best_prefetch_location (xnack on): fall back to system memory if an in-place GPU is in another hive. */
export function bestPrefetchLocation(s: State, r: SvmRange): number {
  const loc = r.a.prefetch;
  if (loc === LOC_UNDEFINED || loc === LOC_SYSMEM) return loc;
  for (let g = 0; g < s.cfg.gpus.length; g++)
    if ((r.a.aip >> g) & 1 && !sameHive(s, g, loc - 1)) return LOC_SYSMEM;
  return loc;
}

/** Locals of set_attr (svm_range_set_attr), for variants that replace a step. */
export interface SvmSetAttrLocals {
  pid: number;
  start: number;
  end: number;
  attrs: Attr[];
  todo: number[];
  cur: number;
  to: number;
  mapErr: string;
  /** GPUs the current range was mapped on when its attributes changed: mapped again, as allowed now. */
  remap: number;
}

/** svm_range_list_lock_and_flush_work: wait for the deferred list to empty, then take mmap_lock for write. */
function flushed(env: Env, pid: number): boolean {
  return (env.s.counters[deferredCount(pid)] ?? 0) === 0;
}

/**
 * set_attr - svm_range_set_attr() (kfd_svm.c): the SET_ATTR ioctl. Validate the attributes, wait
 * for the deferred list to empty (svm_range_list_lock_and_flush_work), check the request covers
 * mapped memory (svm_range_is_valid), then as one transaction clone and split the overlapping
 * ranges, fill the gaps and apply the attributes (svm_range_add); then per updated range revoke
 * what the new attributes forbid, prefetch to the preferred location and map.
 *
 * Context: process context; takes mmap_lock for write (downgraded to read once the ranges are
 * updated) and svms->lock, and a range's lock to revoke PTEs; all may block.
 * Return: {err, applied}: err 'EINVAL' (bad attributes), 'EFAULT' or 'EADDRINUSE' (not a valid
 * request: nothing changed, applied false), or a mapping's error (applied true); '0' otherwise.
 */
export function setAttr(design: SvmDesign): Proc {
  return defineProc<SvmSetAttrLocals>('set_attr', {
    start(env, l) {
      const err = checkAttrs(env.s.cfg, l.attrs);
      if (err !== '0') return ret({ err, applied: false });
      return goto('flush');
    },
    flush(env, l) {
      if (!flushed(env, l.pid)) return block({ k: 'counter', key: deferredCount(l.pid), until: 0 });
      return goto('mm');
    },
    mm(env, l) {
      if (!tryLock(env, mmapLock(l.pid), 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
      if (!flushed(env, l.pid)) {
        unlock(env, mmapLock(l.pid));
        return goto('flush');
      }
      return goto('svms');
    },
    svms(env, l) {
      if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
      svmTransactionBegin(env, l.pid);
      return goto('validate');
    },
    validate(env, l) {
      // svm_range_is_valid before anything changes: a rejected request leaves the ranges as they were.
      const s = env.s;
      const err = rangeValid(s, l.pid, l.start, l.end);
      if (err !== '0') {
        unlock(env, svmsLock(l.pid));
        unlock(env, mmapLock(l.pid));
        return ret({ err, applied: false });
      }
      const { updated } = addRanges(s, l.pid, l.start, l.end, l.attrs, design.maxRangePages);
      // mmap_write_downgrade: migrations and mapping run under the read lock.
      mmapWriteDowngrade(env, l.pid);
      l.todo = updated.map((r) => r.id);
      l.mapErr = '0';
      count(env, 'set_attr applied');
      return goto('next');
    },
    next(env, l) {
      const s = env.s;
      const id = l.todo.shift();
      if (id === undefined) {
        unlock(env, svmsLock(l.pid));
        unlock(env, mmapLock(l.pid));
        return ret({ err: l.mapErr, applied: true });
      }
      const r = rangeById(s, id);
      if (!r) return goto('next');
      l.cur = id;
      return goto('revoke');
    },
    revoke(env, l) {
      const s = env.s;
      const r = rangeById(s, l.cur);
      if (!r) return goto('next');
      // What the new attributes forbid goes before set_attr maps anything: the PTEs of a GPU with
      // neither access nor access-in-place, and writable PTEs of a GPU_RO range, under the range
      // lock (seed 004's design). Upstream kfd leaves both until the next invalidation: its
      // set_attr has "TODO: unmap ranges from GPU that lost access" (a proposed fix adds
      // svm_range_needs_unmap()), and a flags change remaps only the GPUs in its bitmap, so a
      // validate that ends in -EAGAIN leaves a writable PTE on a read-only range.
      const allowed = r.a.access | r.a.aip;
      const ro = (r.a.flags & FLAG_GPU_RO) !== 0;
      const forbidden = (g: number, vpn: number): boolean => {
        const pte = s.gpuPt[g]?.[r.pid]?.[vpn] ?? null;
        return pte !== null && (!((allowed >> g) & 1) || (ro && pte.w));
      };
      // One pass: the GPUs that map the range (remapped below), and whether any PTE must go.
      l.remap = 0;
      let any = false;
      for (let g = 0; g < s.cfg.gpus.length; g++)
        for (let vpn = r.start; vpn <= r.last; vpn++)
          if (s.gpuPt[g]?.[r.pid]?.[vpn]) {
            l.remap |= 1 << g;
            any ||= forbidden(g, vpn);
          }
      if (any) {
        if (!tryLock(env, rangeLock(r.id), 'w'))
          return block({ k: 'lock', name: rangeLock(r.id), mode: 'w' });
        for (let g = 0; g < s.cfg.gpus.length; g++)
          for (let vpn = r.start; vpn <= r.last; vpn++)
            if (forbidden(g, vpn)) {
              gpuZap(env, g, r.pid, vpn, vpn + 1);
              r.pm[vpn - r.start] = (r.pm[vpn - r.start] ?? 0) & ~(1 << g);
            }
        unlock(env, rangeLock(r.id));
        count(env, 'set_attr unmapped what the new attributes forbid');
      }
      l.to = bestPrefetchLocation(s, r);
      if (l.to === LOC_UNDEFINED) return goto('map');
      if (design.actualLoc) r.actual = l.to;
      const where = l.to === LOC_SYSMEM ? 'system' : `gpu${l.to - 1}`;
      emit(env, { e: 'svm-range', pid: l.pid, start: r.start, last: r.last, what: `prefetch to ${where}` });
      count(env, 'prefetch');
      return call(
        'drv:svm_migrate',
        { rid: r.id, pid: l.pid, start: r.start, last: r.last, to: l.to },
        'map',
      );
    },
    map(env, l) {
      const r = rangeById(env.s, l.cur);
      const flagsChanged = l.attrs.some((a) => a.t === 'set_flags' || a.t === 'clr_flags');
      if (!r || (l.to === LOC_UNDEFINED && !flagsChanged)) return goto('next');
      // svm_range_validate_and_map(MAX_GPU_INSTANCE) with xnack on: in-place GPUs, the prefetch GPU
      // if it has access, else (mapped or always-mapped ranges) every GPU with access.
      let gpus = r.a.aip;
      if (l.to > 0 && (r.a.access >> (l.to - 1)) & 1) gpus |= 1 << (l.to - 1);
      if (gpus === 0 && (r.pm.some((m) => m !== 0) || r.a.flags & FLAG_GPU_ALWAYS_MAPPED)) gpus = r.a.access;
      // New flags (GPU_RO above all) reach every GPU that maps the range now, not only those kfd's
      // bitmap picks (aip and actual_loc): kfd leaves a writable PTE on another GPU until the next
      // invalidation; seed 004's design updates them before set_attr returns.
      if (flagsChanged) gpus |= l.remap & (r.a.access | r.a.aip);
      if (gpus === 0) return goto('next');
      return call('drv:validate_and_map', { rid: r.id, start: r.start, last: r.last, gpus }, 'mapped');
    },
    mapped(_env, l, r) {
      if (r !== 0) l.mapErr = String(r);
      return goto('next');
    },
  });
}

/**
 * get_attr - svm_range_get_attr() (kfd_svm.c): the GET_ATTR ioctl. After the deferred list is
 * flushed and the request checked (svm_range_is_valid), the attributes of the ranges it covers,
 * aggregated by svm_range_get_attr's rules (model/uapi.ts aggregate).
 *
 * Context: process context; waits for the deferred list to empty, takes svms->lock (may block).
 * Return: {err, report, racy}: err 'EINVAL' (empty request), 'EFAULT' (not mapped) or 'EADDRINUSE'
 * (a non-SVM GPU mapping) with no report; racy when a concurrent munmap's deferred work was pending
 * (kfd documents the answer as undefined then).
 */
export function getAttr(): Proc {
  return defineProc<{ pid: number; start: number; end: number }>('get_attr', {
    start(env, l) {
      if (!flushed(env, l.pid)) return block({ k: 'counter', key: deferredCount(l.pid), until: 0 });
      const s = env.s;
      const err = rangeValid(s, l.pid, l.start, l.end);
      if (err !== '0') return ret({ err, report: null, racy: false });
      if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
      const hit = treeRangesView(s, l.pid).filter((r) => r.start < l.end && r.last >= l.start);
      const report = aggregate(
        s,
        hit.map((r) => r.a),
      );
      // Deferred work from a concurrent munmap: kfd documents the answer as undefined then.
      const st = svmStateView(s);
      const racy = st.deferred.length > 0 || st.ranges.some((r) => r.pid === l.pid && r.parent >= 0);
      unlock(env, svmsLock(l.pid));
      return ret({ err: '0', report, racy });
    },
  });
}
