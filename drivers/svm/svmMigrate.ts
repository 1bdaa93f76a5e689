// svm_migrate_to_vram / svm_migrate_vram_to_ram (kfd_migrate.c) over a window, with mixed
// placement: the window is walked VMA by VMA and device owner by device owner; pages that do not
// migrate stay where they are (seed 004: "Support migration when cpages != npages"). VRAM comes
// from a BO sized to the migration step; when the GPU is full, a BO is evicted first.
import { spawn } from '../../model/engine.js';
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { allocSysPage, initDevicePage, isDevicePage, vmaAt } from '../../model/mem.js';
import {
  block,
  bumpCounter,
  call,
  count,
  defineProc,
  emit,
  goto,
  ret,
  yieldTo,
  type Env,
  type Proc,
  type StepResult,
} from '../../model/proc.js';
import type { Config, Page, State } from '../../model/types.js';
import { allocAndCopy } from '../common/allocAndCopy.js';
import {
  allocBo,
  boById,
  boRef,
  dropNode,
  evictionFence,
  evictionVictim,
  freeSlots,
  holdNode,
  rangeHasVram,
} from './svmBo.js';
import { rangeById, svmState } from './svmState.js';
import { PAGES, mut } from '../../model/touched.js';

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

/**
 * svm_migrate - svm_migrate_to_vram() / svm_migrate_vram_to_ram() (kfd_migrate.c) over a window of
 * range `rid`: the window is walked VMA by VMA and device owner by device owner (migrationPlan),
 * one svm_migrate_vma each; pages in another hive's VRAM go through system memory first.
 *
 * Context: the caller holds mmap_lock for read (and svms->lock, except migrate_to_ram's lone page).
 * Return: 0 (partial migration is not an error).
 */
export const svmMigrate: Proc = defineProc<{
  rid: number;
  pid: number;
  start: number;
  last: number;
  to: number;
  /** do_swap_page's page when a CPU fault started this (its extra reference is expected). */
  faultPage?: number;
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
    return call(
      'drv:svm_migrate_vma',
      { rid: l.rid, pid: l.pid, ...st, faultPage: l.faultPage ?? -1, mig: -1, bo: -1 },
      'next',
    );
  },
});

/** Locals of svm_migrate_vma, for variants that replace a step. */
export interface SvmMigrateVmaLocals {
  faultPage: number;
  evicted: boolean;
  rid: number;
  pid: number;
  start: number;
  n: number;
  toDev: boolean;
  gpu: number;
  owner: number;
  mig: number;
  bo: number;
  /** What migrate_vma_finalize reported: pages collected, pages moved. */
  cpages: number;
  moved: number;
}

type VmaL = SvmMigrateVmaLocals;

/**
 * svm_range_vram_node_new() for the window of a migration to VRAM: a BO taken from `slots` (the
 * VRAM the allocator may hand out), held by the range's VRAM node; when VRAM is full, one eviction
 * (the step blocks on the victim's eviction fence and runs again), after which the pages stay in
 * system memory. Returns to 'copy' or blocks.
 */
export function svmNewBo(env: Env, l: SvmMigrateVmaLocals, slots: number[]): StepResult {
  const s = env.s;
  const range = rangeById(s, l.rid);
  const bo = allocBo(s, l.gpu, l.pid, l.start, l.n, slots);
  if (bo && range) {
    // kref_init: the new BO's first reference is the range's VRAM node (prange->svm_bo).
    holdNode(s, range, bo.id);
    l.bo = bo.id;
    return yieldTo('copy');
  }
  // One eviction per allocation: if VRAM is still short afterwards the allocation fails (TTM -ENOMEM).
  const victim = l.evicted ? undefined : evictionVictim(s, l.gpu);
  if (!victim) {
    count(env, 'VRAM full, nothing to evict: stays in system memory');
    return yieldTo('copy');
  }
  l.evicted = true;
  victim.evicting = true;
  bumpCounter(s, evictionFence(victim.id), 1);
  spawn(s, 'kworker', -1, 'drv:evict_bo', { bo: victim.id, cause: l.rid });
  count(env, 'eviction');
  return block({ k: 'counter', key: evictionFence(victim.id), until: 0 });
}

/** What svm_migrate_copy_to_vram decides page by page: the reference's rules, a variant's own. */
export interface SvmFillRules {
  /** Whether this VRAM page of the BO may start a new life. */
  mayReuse(page: Page): boolean;
  /** Whether a page takes its BO reference, given whether the migration fills the whole BO. */
  pageRef(full: boolean): boolean;
}

/** The reference's rules: only a page nobody references is reused (the 2025 refcount fix); every page takes a reference. */
export const SVM_FILL_RULES: SvmFillRules = { mayReuse: (page) => page.free, pageRef: () => true };

/**
 * svm_migrate_copy_to_vram(): each page that migrates gets its VRAM page of the BO
 * (svm_migrate_get_vram_page: zone_device_data = the BO, one BO reference per page) and its data,
 * as `rules` allow.
 */
export function svmFillFromBo(env: Env, l: SvmMigrateVmaLocals, rules: SvmFillRules): void {
  const s = env.s;
  const m = migrationById(s, l.mig);
  const bo = boById(s, l.bo);
  const full = m.src.every((x) => x.migrate);
  m.src.forEach((src, i) => {
    const page = bo && bo.state === 'live' && bo.vram ? bo.slots[i] : undefined;
    if (!src.migrate || page === undefined) return;
    const pg = s.phys[page];
    if (pg && !rules.mayReuse(pg)) return;
    if (pg && pg.zdd >= 0) count(env, 'VRAM page reused');
    initDevicePage(s, page, l.bo);
    if (rules.pageRef(full)) boRef(s, l.bo);
    const d = s.phys[page];
    if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
    m.dst[i] = page;
  });
  if (bo && !full && m.dst.some((x) => x >= 0)) count(env, 'partially filled BO');
}

/**
 * svm_migrate_vma_to_vram / svm_migrate_vma_to_ram: one migrate_vma_setup, (a BO for the window),
 * copy, migrate_vma_pages and migrate_vma_finalize over the pages of one VMA and device owner,
 * announcing itself (an intent) so the notifier keeps what this migration leaves in place.
 *
 * Context: mmap_lock held for read by the caller (svm_migrate); may block on a page lock
 * (migrate_vma_setup), on the eviction fence of a BO being evicted, and sleeps in the copy.
 * Return: 0; pages that did not migrate stay where they were (partial migration is not an error).
 */
export const svmMigrateVma: Proc = defineProc<VmaL>('svm_migrate_vma', {
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
      { pid: l.pid, start: l.start, n: l.n, owner: l.owner, sel, faultPage: l.faultPage },
      'setup',
    );
  },
  setup(env, l, r) {
    const res = r as SetupResult;
    if (res.err !== '0') return done(env, l, 0, 0);
    l.mig = res.mig;
    if (res.cpages === 0) return goto('fin');
    return l.toDev ? goto('alloc') : yieldTo('copy');
  },
  alloc(env, l) {
    const s = env.s;
    const range = rangeById(s, l.rid);
    const mine = range?.node ? boById(s, range.node.bo) : undefined;
    // svm_range_validate_svm_bo: reuse the range's BO for the same window unless it is being evicted.
    if (
      mine &&
      mine.state === 'live' &&
      mine.vram &&
      mine.gpu === l.gpu &&
      mine.start === l.start &&
      mine.slots.length === l.n
    ) {
      if (mine.evicting) return block({ k: 'counter', key: evictionFence(mine.id), until: 0 });
      l.bo = mine.id;
      return yieldTo('copy');
    }
    return goto('newbo');
  },
  newbo(env, l) {
    // svm_range_vram_node_new: a new BO, from VRAM whose struct pages are really free.
    return svmNewBo(env, l, freeSlots(env.s, l.gpu));
  },
  copy(env, l) {
    if (l.toDev) return goto('fill');
    const s = env.s;
    allocAndCopy(s, l.mig, false, () => allocSysPage(s));
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fill(env, l) {
    svmFillFromBo(env, l, SVM_FILL_RULES);
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { cpages, done: moved } = migrateVmaFinalize(env, l.mig);
    l.cpages = cpages;
    l.moved = moved;
    return goto('node');
  },
  node(env, l) {
    // svm_migrate_vram_to_ram: a range with no page left in its node's VRAM gives the node back
    // (vram_pages == 0: svm_range_vram_node_free).
    const s = env.s;
    const range = rangeById(s, l.rid);
    if (range && !rangeHasVram(s, range)) dropNode(s, range);
    return svmMigrateVmaDone(env, l);
  },
});

/** svm_migrate_vma's end: the intent withdrawn, the migration reported (l.cpages, l.moved). */
export function svmMigrateVmaDone(env: Env, l: VmaL): ReturnType<typeof ret> {
  return done(env, l, l.cpages, l.moved);
}

function done(env: Env, l: VmaL, cpages: number, moved: number): ReturnType<typeof ret> {
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
