// svm_migrate_to_vram and svm_migrate_vram_to_vram (kfd_migrate.c at 057ad0ef4da6): a range in
// another GPU's VRAM moves to the GPU through system memory, whatever the interconnect.
import { instanceName } from '../../model/instanceName.js';
import { tryLock, unlock } from '../../model/locks.js';
import { isDevicePage } from '../../model/mem.js';
import {
  block,
  count,
  goto,
  ret,
  type Env,
  type Handler,
  type Proc,
  type StepResult,
} from '../../model/proc.js';
import type { State } from '../../model/types.js';
import { migrationPlan } from '../svm/svmMigrate.js';
import { rangeById, type SvmRange } from '../svm/svmState.js';

/** Whether a page of the range is in the VRAM of a GPU other than `gpu` (prange->actual_loc != best_loc). */
function inOtherVram(s: State, r: Readonly<SvmRange>, gpu: number): boolean {
  for (let x = r.start; x <= r.last; x++) {
    const pte = s.procs[r.pid]?.pt[x] ?? null;
    if (pte && pte.t !== 'm' && isDevicePage(s, pte.page) && s.phys[pte.page]?.gpu !== gpu) return true;
  }
  return false;
}

/**
 * kfdMigrationPlan - svm_migrate_to_vram(): with nothing of the range in another GPU's VRAM,
 * svm_migrate_ram_to_vram of [start, last] (the family's plan); else svm_migrate_vram_to_vram:
 * every VRAM page of the whole range to system memory first ("TODO: for both devices with PCIe
 * large bar or on same xgmi hive, skip system memory as migration bridge"), then [start, last] to
 * the GPU. Migrations to system memory are the family's plan.
 *
 * Return: the migrate_vma calls, in order, and how many of them (the first) move the whole range
 * to system memory (0: no GPU-to-GPU move).
 */
function kfdMigrationPlan(s: State, rid: number, pid: number, start: number, last: number, to: number) {
  const r = rangeById(s, rid);
  if (to <= 0 || !r || !inOtherVram(s, r, to - 1))
    return { plan: migrationPlan(s, pid, start, last, to), toRam: 0 };
  const toRam = migrationPlan(s, pid, r.start, r.last, 0);
  return {
    plan: [...toRam, ...migrationPlan(s, pid, start, last, to).filter((st) => st.toDev)],
    toRam: toRam.length,
  };
}

/** Whether any page of the range is in some GPU's VRAM (prange->actual_loc, set while vram_pages > 0). */
function hasVram(s: State, r: Readonly<SvmRange>): boolean {
  for (let x = r.start; x <= r.last; x++) {
    const pte = s.procs[r.pid]?.pt[x] ?? null;
    if (pte && pte.t !== 'm' && isDevicePage(s, pte.page)) return true;
  }
  return false;
}

/**
 * prange->migrate_mutex: held across a range's migrations by svm_range_restore_pages,
 * svm_range_set_attr, svm_migrate_to_ram and the TTM eviction worker (kfd_svm.c at 006ad514a50c,
 * kfd_migrate.c at 057ad0ef4da6). Here kfdMigrate takes it around each migration of a range, and
 * the eviction worker (kfdEvictSvmBo) around its retries.
 */
export const migrateMutex = instanceName('svm_migrate_mutex');

/** svm_migrate_vram_to_vram's retries of the move to system memory. */
const VRAM_TO_RAM_TRIES = 3;

/** Locals of svm_migrate that the plan reads and writes. */
interface MigrateLocals {
  rid: number;
  pid: number;
  start: number;
  last: number;
  to: number;
  plan: ReturnType<typeof migrationPlan>;
  i: number;
  /** The first toRam steps of the plan move the whole range to system memory. */
  toRam: number;
  /** Passes of those steps made. */
  tries: number;
  /** This call took the range's migrate_mutex (its caller did not hold it). */
  mutex?: boolean;
}

/** The migration's end: migrate_mutex given back if this call took it. */
function leave(env: Env, l: MigrateLocals, r: StepResult): StepResult {
  if (r.k === 'ret' && l.mutex) {
    unlock(env, migrateMutex(l.rid));
    delete l.mutex;
  }
  return r;
}

/**
 * kfdMigrate - the family's svm_migrate with kfd's plan (kfdMigrationPlan) and
 * svm_migrate_vram_to_vram's loop (kfd_migrate.c at 057ad0ef4da6): `do { svm_migrate_vram_to_ram
 * (whole range) } while (prange->actual_loc && --retries)`, three passes while a page of the range
 * is still in VRAM (a collect that lost a page-lock race), then -EDEADLK without moving anything to
 * the GPU; svm_range_restore_pages falls back to the window to system memory (kfdRestorePages).
 *
 * Context: as svm_migrate: mmap_lock held for read; takes the range's migrate_mutex (may block)
 * unless the caller holds it, and gives it back on return.
 * Return: 0, or 'EDEADLK'.
 */
export function kfdMigrate(base: Proc): Proc {
  const next = base.steps['next'] as unknown as Handler<MigrateLocals>;
  const steps: Record<string, Handler<MigrateLocals>> = {
    start(env, l) {
      // mutex_lock(&prange->migrate_mutex), unless the caller (the eviction worker, or a
      // restore_pages whose own hmm_range_fault faults a page of this range) holds it already.
      const m = l.rid >= 0 ? migrateMutex(l.rid) : undefined;
      if (m !== undefined && !env.act.held.includes(m)) {
        if (!tryLock(env, m, 'w')) return block({ k: 'lock', name: m, mode: 'w' });
        l.mutex = true;
      }
      const p = kfdMigrationPlan(env.s, l.rid, l.pid, l.start, l.last, l.to);
      l.plan = p.plan;
      l.toRam = p.toRam;
      l.tries = 1;
      l.i = 0;
      return goto('next');
    },
    next(env, l, r) {
      const range = l.toRam > 0 && l.i === l.toRam ? rangeById(env.s, l.rid) : undefined;
      if (range && hasVram(env.s, range)) {
        if (l.tries >= VRAM_TO_RAM_TRIES) {
          count(env, 'svm_migrate_vram_to_vram: -EDEADLK');
          return leave(env, l, ret('EDEADLK'));
        }
        l.tries++;
        count(env, 'svm_migrate_vram_to_vram: retry');
        const again = migrationPlan(env.s, l.pid, range.start, range.last, 0);
        l.plan = [...again, ...l.plan.slice(l.toRam)];
        l.toRam = again.length;
        l.i = 0;
      }
      return leave(env, l, next(env, l, r));
    },
  };
  return { ...base, steps: { ...base.steps, ...(steps as unknown as Proc['steps']) } };
}
