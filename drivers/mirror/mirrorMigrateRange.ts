// The mirror's migration of a range of one VMA to its GPU's VRAM or back to system memory.
import { migrateVmaFinalize, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { allocDevPage, allocSysPage, vmaAt } from '../../model/mem.js';
import { block, call, count, defineProc, emit, goto, ret, yieldTo, type Env } from '../../model/proc.js';
import { allocAndCopy } from '../common/allocAndCopy.js';
import { mirrorOwner } from './mirrorOwner.js';

/** Locals of the mirror's migrate_range (the caller passes them all). */
export interface MirrorMigrateRangeLocals {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
  /** The caller holds mmap_lock already. */
  locked: boolean;
  mig: number;
  nomem: boolean;
}

function finish(env: Env, l: MirrorMigrateRangeLocals, err: string): ReturnType<typeof ret> {
  if (!l.locked) unlock(env, mmapLock(l.pid));
  return ret(err === '0' ? 0 : err);
}

/**
 * migrate_range - dmirror_migrate_to_device() / dmirror_migrate_to_system() (lib/test_hmm.c), the
 * shape nouveau_dmem_migrate_vma() has: migrate_vma_setup over [start, start + n) clipped to its
 * VMA, allocate and copy (dmirror_migrate_alloc_and_copy), migrate_vma_pages and
 * migrate_vma_finalize. Pages that do not migrate (busy, pinned, no memory left) stay where they are.
 *
 * Context: takes mmap_lock for read unless the caller holds it (`locked`), which may block; the
 * copy is a preemption point.
 * Return: 0, 'EINVAL' (no VMA at start) or migrate_vma_setup's error.
 */
export const mirrorMigrateRange = defineProc<MirrorMigrateRangeLocals>('migrate_range', {
  start(env, l) {
    if (!l.locked) {
      if (!tryLock(env, mmapLock(l.pid), 'r')) return block({ k: 'lock', name: mmapLock(l.pid), mode: 'r' });
    }
    const v = vmaAt(env.s, l.pid, l.start);
    if (!v) return finish(env, l, 'EINVAL');
    l.n = Math.min(l.n, v.end - l.start);
    const sel =
      l.to === 'dev' ? { sys: true, priv: false, coh: false } : { sys: false, priv: true, coh: true };
    return call(
      'migrate_vma_setup',
      { pid: l.pid, start: l.start, n: l.n, owner: mirrorOwner(env, l.gpu), sel, faultPage: -1 },
      'setup',
    );
  },
  setup(env, l, r) {
    const res = r as SetupResult;
    if (res.err !== '0') return finish(env, l, res.err);
    l.mig = res.mig;
    if (res.cpages === 0) return goto('fin');
    // The copy engine runs: other activities may run meanwhile.
    return yieldTo('copy');
  },
  copy(env, l) {
    const s = env.s;
    const toDev = l.to === 'dev';
    if (!allocAndCopy(s, l.mig, toDev, () => (toDev ? allocDevPage(s, l.gpu) : allocSysPage(s))))
      l.nomem = true;
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    if (l.mig >= 0) {
      const { cpages, done } = migrateVmaFinalize(env, l.mig);
      emit(env, { e: 'migrate', pid: l.pid, start: l.start, n: l.n, cpages, done, to: l.to });
      count(env, `migrate to ${l.to}`);
      if (done === 0) count(env, `migration to ${l.to} moved nothing`);
      else if (done < l.n) count(env, 'partial migration');
    }
    return finish(env, l, '0');
  },
});
