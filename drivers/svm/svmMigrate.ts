// svm_migrate_to_vram / svm_migrate_vram_to_ram (kfd_migrate.c) over a window, with mixed
// placement: the window is walked VMA by VMA and device owner by device owner; pages that do not
// migrate stay where they are (seed 004: "Support migration when cpages != npages").
import { migrateVmaFinalize, type SetupResult } from '../../model/kernel/migrate.js';
import { allocDevPage, allocSysPage, isDevicePage, vmaAt } from '../../model/mem.js';
import { call, count, defineProc, emit, goto, ret, yieldTo, type Proc } from '../../model/proc.js';
import type { Config, State } from '../../model/types.js';
import { allocAndCopy } from '../common/allocAndCopy.js';
import { svmState } from './svmState.js';

/** One pgmap owner per XGMI hive, as SVM_ADEV_PGMAP_OWNER: GPUs of a hive see each other's pages. */
export const hiveOwner = (cfg: Config, gpu: number): number => 100 + (cfg.gpus[gpu]?.hive ?? 0);

interface Step {
  start: number;
  n: number;
  toDev: boolean;
  gpu: number;
  owner: number;
}

/** The migrate_vma calls that move [start, last] of pid to `to` (0 system, g + 1 GPU g). */
export function migrationPlan(s: State, pid: number, start: number, last: number, to: number): Step[] {
  const plan: Step[] = [];
  for (let a = start; a <= last;) {
    const v = vmaAt(s, pid, a);
    if (!v) break;
    const end = Math.min(v.end - 1, last);
    const n = end - a + 1;
    const owners = new Set<number>();
    for (let x = a; x <= end; x++) {
      const pte = s.procs[pid]?.pt[x] ?? null;
      if (pte && pte.t !== 'm' && isDevicePage(s, pte.page)) owners.add(s.phys[pte.page]?.owner ?? -1);
    }
    const target = to > 0 ? hiveOwner(s.cfg, to - 1) : -1;
    // Pages in other hives' VRAM come back to system memory first (GPU to GPU goes through RAM).
    for (const o of [...owners].sort((x, y) => x - y))
      if (o !== target) plan.push({ start: a, n, toDev: false, gpu: -1, owner: o });
    if (to > 0) plan.push({ start: a, n, toDev: true, gpu: to - 1, owner: target });
    a = end + 1;
  }
  return plan;
}

/** Migrates a window; the caller holds mmap_lock. Returns 0 (partial migration is not an error). */
export const svmMigrate: Proc = defineProc<{
  pid: number;
  start: number;
  last: number;
  to: number;
  plan: Step[];
  i: number;
}>('svm_migrate', {
  start(env, l) {
    l.plan = migrationPlan(env.s, l.pid, l.start, l.last, l.to);
    l.i = 0;
    return goto('next');
  },
  next(_env, l) {
    const st = l.plan[l.i++];
    if (!st) return ret(0);
    return call('drv:svm_migrate_vma', { pid: l.pid, ...st, mig: -1 }, 'next');
  },
});

/** One migrate_vma_setup / copy / pages / finalize, announcing itself so the notifier can skip what stays. */
export const svmMigrateVma: Proc = defineProc<{
  pid: number;
  start: number;
  n: number;
  toDev: boolean;
  gpu: number;
  owner: number;
  mig: number;
}>('svm_migrate_vma', {
  start(env, l) {
    svmState(env.s).intents.push({
      pid: l.pid,
      start: l.start,
      end: l.start + l.n,
      owner: l.owner,
      toDev: l.toDev,
    });
    const sel = l.toDev ? { sys: true, priv: false, coh: false } : { sys: false, priv: true, coh: true };
    return call(
      'migrate_vma_setup',
      { pid: l.pid, start: l.start, n: l.n, owner: l.owner, sel, faultPage: -1 },
      'setup',
    );
  },
  setup(env, l, r) {
    const res = r as SetupResult;
    if (res.err !== '0') return done(env, l, 0, 0);
    l.mig = res.mig;
    return res.cpages === 0 ? goto('fin') : yieldTo('copy');
  },
  copy(env, l) {
    const s = env.s;
    allocAndCopy(s, l.mig, l.toDev, () => {
      const p = l.toDev ? allocDevPage(s, l.gpu) : allocSysPage(s);
      // zone_device_data: which process's svms owns the page (looked up by svm_migrate_to_ram).
      const pg = s.phys[p];
      if (pg && l.toDev) pg.zdd = l.pid;
      return p;
    });
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { cpages, done: moved } = migrateVmaFinalize(env, l.mig);
    return done(env, l, cpages, moved);
  },
});

function done(
  env: Parameters<typeof emit>[0],
  l: { pid: number; start: number; n: number; toDev: boolean },
  cpages: number,
  moved: number,
): ReturnType<typeof ret> {
  const st = svmState(env.s);
  st.intents = st.intents.filter((x) => !(x.pid === l.pid && x.start === l.start && x.end === l.start + l.n));
  emit(env, {
    e: 'migrate',
    pid: l.pid,
    start: l.start,
    n: l.n,
    cpages,
    done: moved,
    to: l.toDev ? 'dev' : 'sys',
  });
  count(env, `migrate to ${l.toDev ? 'dev' : 'sys'}`);
  if (moved > 0 && moved < l.n) count(env, 'partial migration');
  return ret(0);
}
