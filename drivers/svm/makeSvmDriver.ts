// amdkfd's SVM range manager (kfd_svm.c, kfd_migrate.c) as a driver: the redesign of seed
// 004_78f2c797c44aa03c.txt — mixed mappings, partial migration, no "range lives in one place" —
// or, with `actualLoc`, the design it replaced (SvmDesign). It has no bug switches: the catalog's
// broken variants are withSteps modules in drivers/broken/.
import type { Driver } from '../../model/driver.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import { getAttr, setAttr } from './svmAttrs.js';
import { boViews, svmPageFree } from './svmBo.js';
import { svmRefs } from './svmRefs.js';
import { boRelease, evictBo } from './svmEvict.js';
import { migrateToRam, restorePages } from './svmFault.js';
import { validateAndMap } from './svmMap.js';
import { hiveOwner, svmMigrate, svmMigrateVma } from './svmMigrate.js';
import { deferredWork, invalidate } from './svmNotifier.js';
import type { SvmDesign } from './svmDesign.js';
import { rangeViews, svmsLock, treeRangesView, type SvmState } from './svmState.js';

/**
 * migrate - the program's `migrate` operation, as svm_range_set_attr's prefetch does it
 * (svm_range_trigger_migration: svm_migrate_to_vram / svm_migrate_vram_to_ram): every registered
 * range the request covers, clipped to it, goes to the GPU or to system memory.
 *
 * Context: process context; takes mmap_lock for read and svms->lock, both may block, and holds
 * them across the migrations.
 * Return: 0 (pages that do not migrate stay where they are).
 */
const prefetch = defineProc<{
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
  todo: number[][];
}>('migrate', {
  start(env, l) {
    if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    return goto('svms');
  },
  svms(env, l) {
    if (!tryLock(env, svmsLock(l.pid), 'w')) return block({ k: 'lock', name: svmsLock(l.pid), mode: 'w' });
    const last = l.start + l.n - 1;
    l.todo = treeRangesView(env.s, l.pid)
      .filter((r) => r.start <= last && r.last >= l.start && r.op === 'none')
      .map((r) => [r.id, Math.max(r.start, l.start), Math.min(r.last, last)]);
    return goto('next');
  },
  next(env, l) {
    const w = l.todo.shift();
    if (!w) {
      unlock(env, svmsLock(l.pid));
      unlock(env, mmapLock(l.pid));
      return ret(0);
    }
    const to = l.to === 'dev' ? l.gpu + 1 : 0;
    return call('drv:svm_migrate', { rid: w[0], pid: l.pid, start: w[1], last: w[2], to }, 'next');
  },
});

export function makeSvmDriver(name: string, summary: string, design: SvmDesign = {}): Omit<Driver, 'broken'> {
  return {
    name,
    summary,
    init: (): SvmState => ({
      ranges: [],
      next: 0,
      deferred: [],
      worker: false,
      intents: [],
      bos: [],
      nextBo: 0,
    }),
    pgmapOwner: hiveOwner,
    ranges: rangeViews,
    pageFree: svmPageFree,
    bos: boViews,
    refs: svmRefs,
    procs: {
      gpu_fault: restorePages(design),
      migrate_to_ram: migrateToRam(design),
      invalidate,
      migrate: prefetch,
      set_attr: setAttr(design),
      get_attr: getAttr(),
      svm_migrate: svmMigrate,
      svm_migrate_vma: svmMigrateVma,
      evict_bo: evictBo,
      bo_release: boRelease,
      validate_and_map: validateAndMap(design),
      deferred_work: deferredWork,
    },
  };
}
