// The program's `migrate` operation on the mirror: an explicit migration request.
import { call, defineProc, ret } from '../../model/proc.js';

/** Locals of the mirror's migrate request. */
export interface MirrorMigrateLocals {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: 'dev' | 'sys';
}

/**
 * migrate - the HMM_DMIRROR_MIGRATE_TO_DEV / _TO_SYS ioctls (lib/test_hmm.c): migrate_range over
 * the request, taking mmap_lock itself.
 *
 * Context: process context, no lock held; migrate_range takes mmap_lock for read.
 * Return: migrate_range's result.
 */
export const mirrorMigrate = defineProc<MirrorMigrateLocals>('migrate', {
  start(_env, l) {
    const args = {
      gpu: l.gpu,
      pid: l.pid,
      start: l.start,
      n: l.n,
      to: l.to,
      locked: false,
      mig: -1,
      nomem: false,
    };
    return call('drv:migrate_range', args, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});
