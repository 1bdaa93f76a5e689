// The mm system calls a program issues: mmap, munmap, mprotect, madvise(MADV_DONTNEED), fork and
// exit. Each takes mmap_lock, runs the MMU notifiers before it changes page tables (the order the
// kernel uses, so mirrors are invalidated before the CPU's view changes), and releases the lock.
import { block, call, defineProc, emit, goto, ret, type Env } from '../proc.js';
import { mmapLock, tryLock, unlock } from '../locks.js';
import { getPage, newCell, populatePmd, restoreExclusive } from '../mem.js';
import { invalidateEnd, notifierRemove } from '../notifier.js';
import type { Prot, Pte, Vma } from '../types.js';
import { invalidateArgs } from './invalidate.js';
import { uapiUnregister } from '../uapi.js';
import { pmdPages } from './pmd.js';
import { dropHuge, hugeKind, markHuge, refuseFolio, refuseHuge } from './thp.js';
import { addVma, findGap, freePgtables, mappedRanges, removeVmas, vmasIn, zapPtes } from './vmas.js';
import { filled } from '../filled.js';
import { taskAlive } from '../mmUsers.js';
import { CELLS, GPU, MM, PAGES, UAPI, mut } from '../touched.js';

function lockOrBlock(env: Env, pid: number, mode: 'r' | 'w'): boolean {
  return tryLock(env, mmapLock(pid), mode);
}

/** A thread blocked on mmap_lock while its process exited finds the mm gone. */
function exited(env: Env, op: string, pid: number): ReturnType<typeof ret> | null {
  if (taskAlive(env.s, pid)) return null;
  unlock(env, mmapLock(pid));
  return done(env, op, pid, 'ESRCH');
}

function done(env: Env, op: string, pid: number, err: string, detail = ''): ReturnType<typeof ret> {
  emit(env, { e: 'syscall', op, pid, err, detail });
  return ret(err);
}

/** `at`: a fixed page (MAP_FIXED_NOREPLACE); `file`: an existing shmem object to map (a tmpfs file). */
export const sysMmap = defineProc<{
  pid: number;
  pages: number;
  prot: Prot;
  shared: boolean;
  at?: number;
  file?: number;
}>('sys_mmap', {
  start(env, l) {
    if (!lockOrBlock(env, l.pid, 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const dead = exited(env, 'mmap', l.pid);
    if (dead) return dead;
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('mmap: no process');
    // With a fixed address (MAP_FIXED_NOREPLACE) an occupied range is -EEXIST.
    const at = l.at ?? findGap(s, p, l.pages);
    if (
      l.at !== undefined &&
      (at < 0 || at + l.pages > s.cfg.vaPages || mappedRanges(p, at, at + l.pages).length)
    ) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'mmap', l.pid, 'EEXIST', `${l.pages} pages at ${at}`);
    }
    if (at < 0) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'mmap', l.pid, 'ENOMEM', `${l.pages} pages`);
    }
    let shm = -1;
    const file = l.file === undefined ? undefined : s.shms[l.file];
    if (file && l.shared) {
      shm = l.file ?? -1;
      mut(MM, file).users++;
    } else if (l.shared) {
      shm = s.shms.length;
      const cells = Array.from({ length: l.pages }, () => newCell(s, 0));
      mut(MM, s.shms).push({ pages: filled<number>(l.pages, -1), cells, users: 1 });
    }
    // vm_area merging is not modelled: every mmap makes its own VMA.
    addVma(s, p, { start: at, end: at + l.pages, prot: l.prot, shm, pgoff: 0 });
    unlock(env, mmapLock(l.pid));
    return done(env, 'mmap', l.pid, '0', `[${at}, ${at + l.pages}) ${l.prot}${l.shared ? ' shared' : ''}`);
  },
});

interface RangeL {
  pid: number;
  start: number;
  end: number;
  prot: Prot;
  err: string;
}

export const sysMunmap = defineProc<RangeL>('sys_munmap', {
  start(env, l) {
    if (!lockOrBlock(env, l.pid, 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const dead = exited(env, 'munmap', l.pid);
    if (dead) return dead;
    // A munmap covering a whole huge pmd zaps it (zap_huge_pmd()); part of one splits it.
    refuseHuge(env.s, l.pid, l.start, l.end, 'munmap', true);
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('munmap: no process');
    if (l.end <= l.start) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'munmap', l.pid, 'EINVAL', 'length 0');
    }
    if (mappedRanges(p, l.start, l.end).length === 0) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'munmap', l.pid, '0', 'nothing mapped');
    }
    // The VMAs are detached first; mirrors learn of it from the UNMAP notifier that follows.
    const gone = vmasIn(env.s, p, l.start, l.end);
    mut(MM, p.unmapping).push([l.start, l.end]);
    removeVmas(env.s, p, gone);
    uapiUnregister(env.s, l.pid, l.start, l.end);
    return call('mmu_invalidate_start', invalidateArgs(l.pid, l.start, l.end, 'unmap'), 'zap');
  },
  zap(env, l) {
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('munmap: no process');
    zapPtes(env.s, l.pid, l.start, l.end);
    dropHuge(env.s.cfg, p, l.start, l.end);
    freePgtables(env.s.cfg, p, l.start, l.end);
    mut(MM, p).unmapping = p.unmapping.filter((r) => r[0] !== l.start || r[1] !== l.end);
    invalidateEnd(env, l.pid);
    unlock(env, mmapLock(l.pid));
    return done(env, 'munmap', l.pid, '0', `[${l.start}, ${l.end})`);
  },
});

function weaker(a: Prot, b: Prot): boolean {
  const rank = { none: 0, r: 1, rw: 2 } as const;
  return rank[b] < rank[a];
}

export const sysMprotect = defineProc<RangeL>('sys_mprotect', {
  start(env, l) {
    if (env.s.cfg.exactMm) {
      refuseHuge(env.s, l.pid, l.start, l.end, 'mprotect', false, true);
      return call('sys_mprotect_exact', { ...l }, 'exact');
    }
    if (!lockOrBlock(env, l.pid, 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    refuseHuge(env.s, l.pid, l.start, l.end, 'mprotect', false, true);
    const dead = exited(env, 'mprotect', l.pid);
    if (dead) return dead;
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('mprotect: no process');
    // Like mprotect_fixup's loop: stop at the first hole with ENOMEM, keeping what was changed.
    let end = l.start;
    for (const v of p.vmas) if (v.start <= end && v.end > end) end = Math.min(v.end, l.end);
    l.err = end < l.end ? 'ENOMEM' : '0';
    l.end = end;
    if (end === l.start) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'mprotect', l.pid, l.err);
    }
    return call('mmu_invalidate_start', invalidateArgs(l.pid, l.start, l.end, 'protection_vma'), 'apply');
  },
  apply(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('mprotect: no process');
    for (const v of vmasIn(s, p, l.start, l.end)) {
      if (weaker(v.prot, l.prot)) {
        for (let vpn = v.start; vpn < v.end; vpn++) {
          const pte = p.pt[vpn] ?? null;
          if (pte && pte.w) mut(MM, p.pt)[vpn] = { ...pte, w: false } as Pte;
        }
      }
      mut(MM, v).prot = l.prot;
    }
    invalidateEnd(env, l.pid);
    unlock(env, mmapLock(l.pid));
    return done(env, 'mprotect', l.pid, l.err, `[${l.start}, ${l.end}) ${l.prot}`);
  },
  exact(_env, _l, r) {
    return ret(r);
  },
});

export const sysMadviseDontneed = defineProc<RangeL>('sys_madvise_dontneed', {
  start(env, l) {
    if (env.s.cfg.exactMm) {
      refuseHuge(env.s, l.pid, l.start, l.end, 'MADV_DONTNEED');
      return call('sys_madvise_dontneed_exact', { ...l }, 'exact');
    }
    if (!lockOrBlock(env, l.pid, 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    refuseHuge(env.s, l.pid, l.start, l.end, 'MADV_DONTNEED');
    const dead = exited(env, 'madvise', l.pid);
    if (dead) return dead;
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('madvise: no process');
    if (mappedRanges(p, l.start, l.end).length === 0) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'madvise', l.pid, 'ENOMEM');
    }
    return call('mmu_invalidate_start', invalidateArgs(l.pid, l.start, l.end, 'clear'), 'zap');
  },
  zap(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('madvise: no process');
    const ranges = mappedRanges(p, l.start, l.end);
    for (const [a, b] of ranges) {
      zapPtes(s, l.pid, a, b);
      for (let vpn = a; vpn < b; vpn++) {
        const v = p.vmas.find((x) => vpn >= x.start && vpn < x.end);
        // Private anonymous memory reads back as zeroes; shmem keeps its page cache.
        const cell = s.cells[p.cell[vpn] ?? -1];
        if (v && v.shm < 0 && cell) mut(CELLS, cell).v = 0;
      }
    }
    invalidateEnd(env, l.pid);
    unlock(env, mmapLock(l.pid));
    const holes = ranges.length !== 1 || ranges[0]?.[0] !== l.start || ranges[0]?.[1] !== l.end;
    return done(env, 'madvise', l.pid, holes ? 'ENOMEM' : '0', `[${l.start}, ${l.end}) DONTNEED`);
  },
  exact(_env, _l, r) {
    return ret(r);
  },
});

interface ForkL {
  pid: number;
  cow: number[][];
  i: number;
  child: number;
}

export const sysFork = defineProc<ForkL>('sys_fork', {
  start(env, l) {
    if (!lockOrBlock(env, l.pid, 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const dead = exited(env, 'fork', l.pid);
    if (dead) return dead;
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('fork: no process');
    if (s.procs.filter((x) => taskAlive(s, x.pid)).length >= s.cfg.maxProcs) {
      unlock(env, mmapLock(l.pid));
      return done(env, 'fork', l.pid, 'EAGAIN');
    }
    // copy_huge_pmd() / copy_present_pte() of a THP's pages are copied page by page below, as the
    // model keeps a huge pmd's ptes; a pinned one (folio_try_dup_anon_rmap_pmd() fails: the pmd is
    // split and the page copied) is not modelled (thp.ts).
    for (const e of p.pt)
      if (e && e.t === 'p' && (s.phys[e.page]?.pin ?? 0) > 0) refuseFolio(s, e.page, 'fork of a pinned page');
    // copy_page_range() skips private VMAs without an anon_vma (only zero pages or nothing faulted).
    const exact = s.cfg.exactMm === true;
    l.cow = p.vmas.filter((v) => v.shm < 0 && (!exact || v.anon)).map((v) => [v.start, v.end]);
    l.i = 0;
    return goto('protect');
  },
  protect(_env, l) {
    // copy_page_range write-protects the parent's COW mappings under MMU_NOTIFY_PROTECTION_PAGE.
    const r = l.cow[l.i];
    if (!r) return goto('copy');
    l.i++;
    return call(
      'mmu_invalidate_start',
      invalidateArgs(l.pid, r[0] as number, r[1] as number, 'protection_page'),
      'protected',
    );
  },
  protected(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    const r = l.cow[l.i - 1];
    if (!p || !r) throw new Error('fork: lost state');
    for (let vpn = r[0] as number; vpn < (r[1] as number); vpn++) {
      const pte = p.pt[vpn] ?? null;
      if (pte && pte.w) mut(MM, p.pt)[vpn] = { ...pte, w: false } as Pte;
    }
    invalidateEnd(env, l.pid);
    return goto('protect');
  },
  copy(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('fork: no process');
    const pid = s.procs.length;
    const n = s.cfg.vaPages;
    mut(MM, s.procs).push({
      pid,
      alive: true,
      parent: l.pid,
      vmas: [],
      pt: filled<Pte>(n, null),
      cell: filled<number>(n, -1),
      mmSeq: 2,
      mmActive: 0,
      unmapping: [],
    });
    const c = s.procs[pid];
    if (!c) throw new Error('fork: child missing');
    const exact = s.cfg.exactMm === true;
    for (const v of p.vmas) {
      const cv: Vma = { ...v };
      mut(MM, c.vmas).push(cv);
      const shm = s.shms[v.shm];
      if (shm) mut(MM, shm).users++;
      const copied = !shm && (!exact || v.anon === true);
      const P = pmdPages(s.cfg);
      if (copied)
        for (const k of p.pmds ?? [])
          if (k * P < v.end && (k + 1) * P > v.start) populatePmd(s.cfg, c, k * P);
      for (let vpn = v.start; vpn < v.end; vpn++) {
        const pc = p.cell[vpn] ?? -1;
        mut(MM, c.cell)[vpn] = shm ? pc : newCell(s, s.cells[pc]?.v ?? 0);
        let pte = p.pt[vpn] ?? null;
        // Shared mappings are not copied at fork: the child faults them from the page cache.
        if (!pte || !copied) continue;
        if (pte.t === 'x') {
          // copy_nonpresent_pte(): a device-exclusive entry is restored (no notifier), then shared.
          restoreExclusive(s, p.pid, vpn, false);
          pte = p.pt[vpn] ?? null;
          if (!pte) continue;
        }
        mut(MM, c.pt)[vpn] = { ...pte, w: false } as Pte;
        if (pte.t !== 'm' && pte.page !== 0) {
          const pg = s.phys[pte.page];
          if (pg) {
            const w = mut(PAGES, pg);
            w.map++;
            // page_try_dup_anon_rmap(): a page mapped by two processes is no longer exclusive.
            w.ax = false;
          }
          getPage(s, pte.page);
        }
      }
      // copy_huge_pmd() of a THP or a device-private pmd entry: both become read-only huge pmds of
      // the folio, which gains a reference and a mapping (folio_try_dup_anon_rmap_pmd()); a pmd
      // migration entry is copied as one.
      for (let vpn = v.start; copied && vpn < v.end; vpn += pmdPages(s.cfg))
        if (hugeKind(s, p, vpn) !== null) markHuge(s, c, vpn);
    }
    for (const t of s.gpuPt) mut(GPU, t)[pid] = filled<null>(n, null);
    l.child = pid;
    unlock(env, mmapLock(l.pid));
    return done(env, 'fork', l.pid, '0', `child pid ${pid}`);
  },
});

/**
 * sys_exit - exit_group() of the process: the task's exit_mm() drops its mm reference (mmput). With
 * no other reference that is the last one and exit_mmap() runs at once, as before mm_users was
 * modelled; a reference a driver holds (mmget) keeps the mm — VMAs, page tables, notifiers — until
 * the driver's own last mmput() runs exit_mmap (model/mmUsers.ts).
 *
 * Context: takes mmap_lock for write (exit_mmap's teardown holds it); may block.
 * Return: 0, or ESRCH when the process had already exited.
 */
export const sysExit = defineProc<{ pid: number }>('sys_exit', {
  start(env, l) {
    if (!lockOrBlock(env, l.pid, 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const dead = exited(env, 'exit', l.pid);
    if (dead) return dead;
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('exit: no process');
    if ((p.mmRefs ?? 0) > 0) {
      // exit_mm(): task->mm = NULL, mmput() — not the last reference: the mm outlives the task.
      mut(MM, p).exited = true;
      unlock(env, mmapLock(l.pid));
      return done(env, 'exit', l.pid, '0', `mm pinned by ${p.mmRefs} reference(s)`);
    }
    mut(MM, p).exiting = true;
    return call('exit_mmap', { pid: l.pid, locked: true }, 'done');
  },
  done(env, l) {
    return done(env, 'exit', l.pid, '0');
  },
});

/**
 * exit_mmap - __mmput() after the last mm reference: under mmap_lock for write, the MMU notifiers'
 * release over the whole address space (mmu_notifier_release), then the ptes, VMAs and page tables
 * go and the process's notifiers with them. `locked`: the caller (sys_exit) already holds
 * mmap_lock. Runs in whoever dropped the last reference (mmput), or a kworker (mmput_async).
 *
 * Context: takes mmap_lock for write unless `locked`; may block; releases it before returning.
 * Return: 0.
 */
export const exitMmap = defineProc<{ pid: number; locked: boolean }>('exit_mmap', {
  start(env, l) {
    if (!l.locked && !lockOrBlock(env, l.pid, 'w'))
      return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    return call('mmu_invalidate_start', invalidateArgs(l.pid, 0, env.s.cfg.vaPages, 'release'), 'teardown');
  },
  teardown(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    if (!p) throw new Error('exit: no process');
    zapPtes(s, l.pid, 0, s.cfg.vaPages);
    removeVmas(s, p, [...p.vmas]);
    mut(MM, p).pmds = [];
    if (l.pid in s.uapi.attrs) delete mut(UAPI, s.uapi.attrs)[l.pid];
    if (l.pid in s.uapi.gpuvm) delete mut(UAPI, s.uapi.gpuvm)[l.pid];
    for (const n of s.notifiers) if (n.pid === l.pid) notifierRemove(s, n.id);
    invalidateEnd(env, l.pid);
    const w = mut(MM, p);
    w.alive = false;
    delete w.exiting;
    delete w.exited;
    unlock(env, mmapLock(l.pid));
    return ret(0);
  },
});
