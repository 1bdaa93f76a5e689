// The 'lock' step of the reference's migrate_to_ram as kfd writes it: mutex_lock(&p->svms.lock),
// sleeping until the lock is free (kfd_migrate.c svm_migrate_to_ram, read at torvalds/linux
// 057ad0ef4da6), for the catalog entries whose migrate_to_ram sleeps on svms->lock.
import { block, goto, type Handler } from '../../model/proc.js';
import { tryLock } from '../../model/locks.js';
import type { SvmRamLocals } from '../svm/svmFault.js';
import { svmsLock } from '../svm/svmState.js';

/** migrate_to_ram's 'lock' step with mutex_lock(): blocks on a busy svms->lock, whatever the caller holds. */
export const svmsLockSleeping: Handler<SvmRamLocals> = (env, l) => {
  if (l.relock && !tryLock(env, svmsLock(l.owner), 'w'))
    return block({ k: 'lock', name: svmsLock(l.owner), mode: 'w' });
  return goto('window');
};
