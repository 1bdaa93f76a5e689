// svm_range_restore_pages (GPU retry fault) and svm_migrate_to_ram (CPU fault on a VRAM page).
// The GPU fault first sits in the interrupt ring (a preemption point), so a munmap can overtake it:
// that stale fault must then be dropped (drain_pagefaults, svm_range_skip_recover), not recreate or
// map the range.
import { mmapLock, mmapWriteDowngrade, tryLock, unlock } from '../../model/locks.js';
import { vmaAt } from '../../model/mem.js';
import {
  block,
  bump,
  call,
  count,
  defineProc,
  emit,
  goto,
  ret,
  yieldTo,
  type Env,
  type Proc,
} from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { FLAG_GPU_RO, LOC_SYSMEM, LOC_UNDEFINED, granularityPages } from '../../model/uapi.js';
import { boById } from './svmBo.js';
import { addToTree, createUnregistered, removeFromTree, splitRange } from './rangeOps.js';
import { FAULT_WINDOW_LOG2, type SvmDesign } from './svmDesign.js';
import {
  draining,
  drainAhead,
  pendingFaults,
  rangeFromAddr,
  rangeFromAddrView,
  svmsLock,
  isSvmsLock,
  type SvmRange,
} from './svmState.js';

const sameHive = (s: State, a: number, b: number): boolean =>
  a === b || s.cfg.gpus[a]?.hive === s.cfg.gpus[b]?.hive;

/**
 * svm_range_best_restore_location, with "where the range is" read from the faulting page. A GPU
 * with neither access nor access-in-place gets -1 first: upstream kfd returns a preferred location
 * of system memory (or the GPU itself) before it looks at the access bitmaps, and so maps a GPU
 * that set_attr gave NO_ACCESS (kfd_svm.c, read at a version with apu_prefer_gtt); seed 004's
 * design does not.
 */
export function bestRestoreLocation(s: State, r: SvmRange, gpu: number, vpn: number): number {
  if (!(((r.a.access | r.a.aip) >> gpu) & 1)) return -1;
  const p = r.a.preferred;
  if (p === gpu + 1 || p === LOC_SYSMEM) return p;
  if (p !== LOC_UNDEFINED && sameHive(s, p - 1, gpu)) return p;
  if ((r.a.access >> gpu) & 1) return gpu + 1;
  if ((r.a.aip >> gpu) & 1) {
    const pte = s.procs[r.pid]?.pt[vpn] ?? null;
    const h = pte && pte.t !== 'm' ? (s.phys[pte.page]?.gpu ?? -1) : -1;
    return h >= 0 && sameHive(s, h, gpu) ? h + 1 : 0;
  }
  return -1;
}

/** svm_range_skip_recover: a range on its way out, or not added yet, is not restored. */
function skipRecover(r: SvmRange): boolean {
  return r.op === 'unmap' || r.op === 'add' || r.parent >= 0;
}

/** Locals of gpu_fault (svm_range_restore_pages), for variants that replace a step. */
export interface SvmFaultLocals {
  gpu: number;
  pid: number;
  vpn: number;
  write: boolean;
  rid: number;
  /** The migration window. */
  start: number;
  last: number;
  /** Where the window goes: svm_range_best_restore_location (0 system memory, g + 1 GPU g). */
  to: number;
}

type L = SvmFaultLocals;

/**
 * The fault handler returns to amdgpu_ih_process, which only then moves the ring's processed
 * timestamp past the entry: a drain (amdgpu_ih_wait_on_checkpoint_process_ts) waits for the
 * handlers of the faults ahead of its checkpoint to return, not only to start.
 */
function handled(env: Env, l: L): void {
  bump(env, pendingFaults(l.pid, l.gpu), -1);
  // One GPU raises its faults one at a time, so its ring's entries are handled in order: a
  // handled fault of a GPU whose ring a drain waits on was ahead of the checkpoint.
  if ((env.s.counters[drainAhead(l.pid, l.gpu)] ?? 0) > 0) bump(env, drainAhead(l.pid, l.gpu), -1);
}

/** Leaves restore_pages: -EAGAIN means "the GPU retries the access", not an error. */
export function release(env: Env, l: L, v: unknown): ReturnType<typeof ret> {
  unlock(env, svmsLock(l.pid));
  unlock(env, mmapLock(l.pid));
  handled(env, l);
  return ret(v === 'EAGAIN' ? 0 : v);
}

/**
 * gpu_fault - svm_range_restore_pages() (kfd_svm.c): a GPU retry fault. Find or create the range
 * (creating one needs mmap_lock for write), drop a stale fault (the process is gone, munmap is
 * draining the rings, or the range is on its way out: svm_range_skip_recover), check the VMA's and
 * the range's permissions, migrate the granularity window around the fault, clipped to the range,
 * to svm_range_best_restore_location, and map it on the faulting GPU (validate_and_map).
 *
 * Context: the IH fault handler thread; takes mmap_lock (read; write to create a range, then
 * downgraded) and svms->lock, both may block, and holds them across the migration and mapping.
 * Return: 0 (mapped, dropped, or -EAGAIN: the GPU retries the access), 'EFAULT' (no VMA to create
 * a range over), 'EPERM' (a write the VMA or GPU_RO forbids), 'EACCES' (the GPU has no access).
 */
export function restorePages(design: SvmDesign): Proc {
  return defineProc<L>('gpu_fault', {
    start(env, l) {
      bump(env, pendingFaults(l.pid, l.gpu), 1);
      // The retry fault waits in the IH ring until the fault handler thread gets to it.
      return yieldTo('ih');
    },
    ih(env, l) {
      // kfd_lookup_process_by_pasid fails once the process is gone: the fault is dropped.
      if (!env.s.procs[l.pid]?.alive) {
        handled(env, l);
        return ret(0);
      }
      return goto('drain');
    },
    drain(env, l) {
      // svms->drain_pagefaults: munmap asked for the retry faults in the rings to be drained.
      if ((env.s.counters[draining(l.pid)] ?? 0) > 0) {
        count(env, 'retry fault dropped while draining');
        handled(env, l);
        return ret(0);
      }
      return goto('mm');
    },
    mm(env, l) {
      if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
      return goto('svms');
    },
    svms(env, l) {
      if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
      const r = rangeFromAddrView(env.s, l.pid, l.vpn);
      if (r) {
        l.rid = r.id;
        return goto('have');
      }
      // Creating a range needs mmap_lock for write (to insert the notifier).
      unlock(env, svmsLock(l.pid));
      unlock(env, mmapLock(l.pid));
      return goto('mmw');
    },
    mmw(env, l) {
      if (!tryLock(env, mmapLock(l.pid), 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
      return goto('create');
    },
    create(env, l) {
      const s = env.s;
      if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
      let r: Readonly<SvmRange> | undefined = rangeFromAddrView(s, l.pid, l.vpn);
      if (!r) {
        r = createUnregistered(s, l.pid, l.vpn, FAULT_WINDOW_LOG2) ?? undefined;
        if (r)
          emit(env, {
            e: 'svm-range',
            pid: l.pid,
            start: r.start,
            last: r.last,
            what: 'created by GPU fault',
          });
      }
      mmapWriteDowngrade(env, l.pid);
      if (!r) return release(env, l, 'EFAULT');
      l.rid = r.id;
      return goto('have');
    },
    have(env, l) {
      if (!rangeFromAddrView(env.s, l.pid, l.vpn)) return release(env, l, 0);
      return goto('recover');
    },
    recover(env, l) {
      const r = rangeFromAddrView(env.s, l.pid, l.vpn);
      if (!r || skipRecover(r)) return release(env, l, 0);
      return goto('check');
    },
    check(env, l) {
      const s = env.s;
      const r = rangeFromAddr(s, l.pid, l.vpn);
      if (!r) return release(env, l, 0);
      const v = vmaAt(s, l.pid, l.vpn);
      if (!v) return release(env, l, 0); // stale retry fault: the VMA is gone
      if (v.prot === 'none' || (l.write && v.prot !== 'rw')) return release(env, l, 'EPERM');
      // A write through a GPU_RO mapping is a protection fault, not a retry fault: the job dies.
      if (l.write && r.a.flags & FLAG_GPU_RO) return release(env, l, 'EPERM');
      let best = bestRestoreLocation(s, r, l.gpu, l.vpn);
      if (best < 0) return release(env, l, 'EACCES');
      // hmm_range_fault never faults our own device pages, even read-only ones (after fork or
      // mprotect): bring the window to system memory so the write fault can COW or upgrade it.
      const pte = s.procs[l.pid]?.pt[l.vpn] ?? null;
      if (l.write && pte && pte.t === 'd' && !pte.w) {
        count(env, 'write fault on read-only device page');
        best = 0;
      }
      l.rid = r.id;
      l.to = best;
      if (design.actualLoc) {
        // The actual_loc design: the whole range goes, unless it is believed to be there already.
        l.start = r.start;
        l.last = r.last;
        if (r.actual === best) return goto('map');
        r.actual = best;
        return call(
          'drv:svm_migrate',
          { rid: r.id, pid: l.pid, start: r.start, last: r.last, to: best },
          'map',
        );
      }
      return goto('window');
    },
    window(env, l) {
      // start = max(ALIGN_DOWN(addr, size), prange->start), last = min(ALIGN(addr + 1, size) - 1,
      // prange->last): the granularity block around the fault, clipped to the range.
      const r = rangeFromAddr(env.s, l.pid, l.vpn);
      if (!r) return release(env, l, 0);
      const size = granularityPages(r.a.gran);
      const lo = Math.floor(l.vpn / size) * size;
      const hi = Math.floor((l.vpn + size) / size) * size - 1;
      l.start = Math.max(lo, r.start);
      l.last = Math.min(hi, r.last);
      emit(env, {
        e: 'svm-window',
        pid: l.pid,
        start: l.start,
        last: l.last,
        rangeStart: r.start,
        rangeLast: r.last,
      });
      return call(
        'drv:svm_migrate',
        { rid: r.id, pid: l.pid, start: l.start, last: l.last, to: l.to },
        'map',
      );
    },
    map(_env, l) {
      return call(
        'drv:validate_and_map',
        { rid: l.rid, start: l.start, last: l.last, gpus: 1 << l.gpu },
        'done',
      );
    },
    done(env, l, r) {
      return release(env, l, r);
    },
  });
}

/** Locals of migrate_to_ram (svm_migrate_to_ram), for variants that replace a step. */
export interface SvmRamLocals {
  page: number;
  pid: number;
  vpn: number;
  owner: number;
  relock: boolean;
  rid: number;
}

/**
 * migrate_to_ram - svm_migrate_to_ram() (kfd_migrate.c, read at torvalds/linux 057ad0ef4da6):
 * bring the granularity window around a CPU fault on a device page back to system memory,
 * without splitting the range.
 *
 * Context: do_swap_page(), mmap_lock held for read, a reference on the page; from 6.15 on also
 * the page's lock. Takes the owner's svms->lock with a trylock only (busy: the page alone).
 *
 * Return: 0 (the access is retried) or 'SIGBUS' (no BO behind the page).
 */
export function migrateToRam(design: SvmDesign): Proc {
  return defineProc<SvmRamLocals>('migrate_to_ram', {
    start(env, l) {
      // zone_device_data is the page's svm_range_bo; the BO's process (svm_bo->eviction_fence->mm)
      // owns the svms the range is looked up in, also when a fork child faults the page through a
      // COW-shared device-private entry ("addr is COW mapping in child process", 6.1 kfd_migrate.c).
      const bo = boById(env.s, env.s.phys[l.page]?.zdd ?? -1);
      // A page with no BO: VM_FAULT_SIGBUS, as kfd.
      if (!bo) return ret('SIGBUS');
      // The BO's process has exited while a fork child still maps the page COW: kfd's
      // mmget_not_zero(svm_bo->eviction_fence->mm) fails and the child gets SIGBUS for memory it
      // owns. Seed 004's design has no range to consult then and migrates the faulting page
      // alone, in the faulting mm, as dmirror and nouveau do.
      if (!env.s.procs[bo.pid]?.alive) return goto('alone');
      l.owner = bo.pid;
      // Recursion from our own hmm_range_fault already holds svms->lock: go on without it.
      l.relock = !env.act.held.includes(svmsLock(l.owner));
      // Recursion from a restore_pages of another process (a fork shares the page copy-on-write,
      // the BO is the other process's): taking this svms->lock under that one is an ABBA
      // deadlock with the other process's fault doing the same the other way round, and the
      // recursive locking lockdep reports for one lock class. kfd does take it (its faulting_task
      // check covers only the BO's own process); seed 004's design migrates the page alone.
      if (env.act.held.some((h) => isSvmsLock(h) && h !== svmsLock(l.owner))) {
        l.relock = false;
        return goto('alone');
      }
      return goto('lock');
    },
    lock(env, l) {
      // mutex_trylock(&svms->lock), not mutex_lock(): from 6.15 on, do_swap_page() holds the
      // faulting page's lock across this callback (kernelRules.ts do_swap_page_device_private),
      // and a restore_pages that holds svms->lock may be waiting for that very page lock in its
      // hmm_range_fault (an owner it does not own: another hive's VRAM). Sleeping here is the
      // ABBA deadlock kfd has (catalog: kfd-svms-lock-under-folio-lock). The callback cannot
      // sleep for the lock without the page lock held (VM_FAULT_RETRY gives mmap_lock up, not
      // the page), and returning 0 to retry the fault can starve the waiter it races with (the
      // page is locked again before it runs). Busy: migrate the faulting page alone, without the
      // range (as dmirror and nouveau do); the range's VRAM accounting follows its pages.
      if (l.relock && !tryLock(env, svmsLock(l.owner), 'w', { trylock: true })) {
        count(env, 'migrate_to_ram: svms lock busy');
        l.relock = false;
        return goto('alone');
      }
      return goto('window');
    },
    window(env, l) {
      const s = env.s;
      const r = rangeFromAddr(s, l.owner, l.vpn);
      if (!r) {
        // The owner's range is gone (munmap in the parent) while the page is still mapped here
        // (a fork child's COW entry): kfd returns SIGBUS; seed 004's design migrates the page alone.
        if (l.relock) unlock(env, svmsLock(l.owner));
        l.relock = false;
        return goto('alone');
      }
      const size = granularityPages(r.a.gran);
      let start = Math.max(Math.floor(l.vpn / size) * size, r.start);
      let last = Math.min(Math.floor((l.vpn + size) / size) * size - 1, r.last);
      const v = vmaAt(s, l.pid, l.vpn);
      if (v) {
        start = Math.max(start, v.start);
        last = Math.min(last, v.end - 1);
      }
      if (design.actualLoc && r.inTree) {
        // The legacy design splits the range at the window and records that piece as in system memory.
        if (start > r.start) addToTree(s, splitRange(s, r, start, r.last));
        if (last < r.last) addToTree(s, splitRange(s, r, r.start, last));
        removeFromTree(s, r);
        addToTree(s, r);
        r.actual = 0;
      }
      return call(
        'drv:svm_migrate',
        { rid: r.id, pid: l.pid, start, last, to: 0, faultPage: l.page },
        'done',
      );
    },
    alone(env, l) {
      count(env, 'migrate_to_ram of a page no range owns');
      return call(
        'drv:svm_migrate',
        { rid: -1, pid: l.pid, start: l.vpn, last: l.vpn, to: 0, faultPage: l.page },
        'done',
      );
    },
    done(env, l) {
      if (l.relock) unlock(env, svmsLock(l.owner));
      count(env, 'migrate_to_ram');
      return ret(0);
    },
  });
}
