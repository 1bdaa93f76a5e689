// svm_migrate_to_vram and svm_migrate_vram_to_vram (kfd_migrate.c at 057ad0ef4da6): a range in
// another GPU's VRAM moves to the GPU through system memory, whatever the interconnect.
import { isDevicePage } from '../../model/mem.js';
import { goto, type Handler, type Proc } from '../../model/proc.js';
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
 * the GPU. Migrations to system memory are the family's plan. kfd retries the first half up to
 * three times while the range still has VRAM (-EDEADLK after); the model makes one pass, and the
 * pages it could not move stay where they are.
 *
 * Return: the migrate_vma calls, in order.
 */
function kfdMigrationPlan(s: State, rid: number, pid: number, start: number, last: number, to: number) {
  const r = rangeById(s, rid);
  if (to <= 0 || !r || !inOtherVram(s, r, to - 1)) return migrationPlan(s, pid, start, last, to);
  return [
    ...migrationPlan(s, pid, r.start, r.last, 0),
    ...migrationPlan(s, pid, start, last, to).filter((st) => st.toDev),
  ];
}

/** Locals of svm_migrate that the plan reads and writes. */
interface MigrateLocals {
  rid: number;
  pid: number;
  start: number;
  last: number;
  to: number;
  plan: ReturnType<typeof migrationPlan>;
  i: number;
}

/**
 * kfdMigrate - the family's svm_migrate with kfd's plan (kfdMigrationPlan).
 *
 * Context: as svm_migrate: mmap_lock held for read.
 * Return: 0.
 */
export function kfdMigrate(base: Proc): Proc {
  const start: Handler<MigrateLocals> = (env, l) => {
    l.plan = kfdMigrationPlan(env.s, l.rid, l.pid, l.start, l.last, l.to);
    l.i = 0;
    return goto('next');
  };
  return { ...base, steps: { ...base.steps, start: start as unknown as Proc['steps'][string] } };
}
