// mprotect() as Linux 6.1 runs it (mm/mprotect.c), used when cfg.exactMm is set: each VMA whose
// protection really changes is split off and changed under its own MMU_NOTIFY_PROTECTION_VMA
// invalidation, which change_pmd_range() only raises once it meets a populated pmd (and from that
// pmd on); VMAs already at the new protection are left alone, notifier included. Writable swap
// entries (device-private, device-exclusive, migration) always lose write; a present pte of an
// exclusive anonymous page (dirty only, on 6.1: kernelRules.ts can_change_pte_writable) or any pte
// of shmem gets write back when the VMA becomes writable (MM_CP_TRY_CHANGE_WRITABLE). Afterwards
// adjacent compatible VMAs merge again (vma_merge). The rest is the same in 6.1 and 6.12.
import { match } from 'ts-pattern';
import { block, call, defineProc, emit, goto, ret, type Env } from '../proc.js';
import { mmapLock, tryLock, unlock } from '../locks.js';
import { pmdNone, ZERO_PAGE } from '../mem.js';
import { invalidateEnd } from '../notifier.js';
import type { Process, Prot, Pte, State } from '../types.js';
import { invalidateArgs } from './invalidate.js';
import { pmdEnd } from './pmd.js';
import { mergeVmas } from './mergeVmas.js';
import { vmasIn } from './vmas.js';
import { MM, mut } from '../touched.js';
import { kernelRule } from '../kernelRules.js';

interface L {
  pid: number;
  start: number;
  end: number;
  prot: Prot;
  err: string;
  pieces: number[][];
  i: number;
  notified: boolean;
}

function finish(env: Env, l: L): ReturnType<typeof ret> {
  const p = env.s.procs[l.pid];
  if (p) mergeVmas(env.s, p);
  unlock(env, mmapLock(l.pid));
  emit(env, {
    e: 'syscall',
    op: 'mprotect',
    pid: l.pid,
    err: l.err,
    detail: `[${l.start}, ${l.end}) ${l.prot}`,
  });
  return ret(l.err);
}

/** The first page of [a, b) whose pmd has a page table, or -1. */
function firstPopulated(s: State, p: Process, a: number, b: number): number {
  for (let vpn = a; vpn < b; vpn = pmdEnd(s.cfg, vpn)) if (!pmdNone(s.cfg, p, vpn)) return vpn;
  return -1;
}

function newPte(s: State, pte: Pte, prot: Prot, shared: boolean): Pte {
  if (!pte) return null;
  if (pte.t !== 'p') return pte.w ? ({ ...pte, w: false } as Pte) : pte;
  if (prot !== 'rw') return { ...pte, w: false };
  // can_change_pte_writable(): a pte of an exclusive anonymous page gets write back; 6.1 wants it dirty.
  const dirtyOk = match(kernelRule(s.cfg, 'can_change_pte_writable'))
    .with('exclusive', () => true)
    .with('dirty-exclusive', () => pte.d === true)
    .exhaustive();
  const ax = pte.page !== ZERO_PAGE && s.phys[pte.page]?.ax === true && dirtyOk;
  return { ...pte, w: pte.w || shared || ax };
}

export const sysMprotectExact = defineProc<L>('sys_mprotect_exact', {
  start(env, l) {
    if (!tryLock(env, mmapLock(l.pid), 'w')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'w' });
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('mprotect: no process');
    l.err = '0';
    l.pieces = [];
    l.i = 0;
    if (l.end <= l.start) return finish(env, l);
    // do_mprotect_pkey(): the start must be mapped; a hole stops the walk with -ENOMEM.
    let reach = l.start;
    for (const v of p.vmas) if (v.start <= reach && v.end > reach) reach = Math.min(v.end, l.end);
    if (reach < l.end) l.err = 'ENOMEM';
    l.end = reach;
    for (const v of p.vmas) {
      const a = Math.max(v.start, l.start);
      const b = Math.min(v.end, l.end);
      if (a < b && v.prot !== l.prot) l.pieces.push([a, b]);
    }
    return goto('next');
  },
  next(env, l) {
    const piece = l.pieces[l.i];
    if (!piece) return finish(env, l);
    const [a, b] = piece as [number, number];
    const p = env.s.procs[l.pid];
    if (!p) throw new Error('mprotect: no process');
    vmasIn(env.s, p, a, b);
    const from = firstPopulated(env.s, p, a, b);
    l.notified = from >= 0;
    if (!l.notified) return goto('apply');
    return call('mmu_invalidate_start', invalidateArgs(l.pid, from, b, 'protection_vma'), 'apply');
  },
  apply(env, l) {
    const s = env.s;
    const p = s.procs[l.pid];
    const [a, b] = l.pieces[l.i] as [number, number];
    l.i++;
    if (!p) throw new Error('mprotect: no process');
    for (const v of p.vmas) {
      if (v.start < a || v.end > b) continue;
      mut(MM, v).prot = l.prot;
      for (let vpn = v.start; vpn < v.end; vpn++)
        mut(MM, p.pt)[vpn] = newPte(s, p.pt[vpn] ?? null, l.prot, v.shm >= 0);
    }
    if (l.notified) invalidateEnd(env, l.pid);
    return goto('next');
  },
});
