// The mirror's dev_pagemap_ops.migrate_to_ram: a CPU fault on one of its device pages.
import { migrateVmaFinalize, type SetupResult } from '../../model/kernel/migrate.js';
import { allocSysPage } from '../../model/mem.js';
import { call, count, defineProc, emit, goto, ret, yieldTo } from '../../model/proc.js';
import { allocAndCopy } from '../common/allocAndCopy.js';

/** Locals of the mirror's migrate_to_ram. */
export interface MirrorMigrateToRamLocals {
  page: number;
  pid: number;
  vpn: number;
  mig: number;
  nomem: boolean;
}

/**
 * migrate_to_ram - dmirror_devmem_fault() (lib/test_hmm.c): migrate the faulting page alone back to
 * system memory (migrate_vma_setup with MIGRATE_VMA_SELECT_DEVICE_PRIVATE and the fault page,
 * dmirror_devmem_fault_alloc_and_copy, migrate_vma_pages, migrate_vma_finalize).
 *
 * Context: do_swap_page(), mmap_lock held for read and a reference on the page (its lock too on
 * 6.15 and later); takes no driver lock; the copy is a preemption point.
 * Return: 0 (the access retries), 'SIGBUS' (setup failed or no system page left).
 */
export const mirrorMigrateToRam = defineProc<MirrorMigrateToRamLocals>('migrate_to_ram', {
  start(env, l) {
    const owner = env.s.phys[l.page]?.owner ?? -1;
    const sel = { sys: false, priv: true, coh: false };
    return call(
      'migrate_vma_setup',
      { pid: l.pid, start: l.vpn, n: 1, owner, sel, faultPage: l.page },
      'setup',
    );
  },
  setup(_env, l, r) {
    const res = r as SetupResult;
    if (res.err !== '0') return ret('SIGBUS');
    l.mig = res.mig;
    return res.cpages === 0 ? goto('fin') : yieldTo('copy');
  },
  copy(env, l) {
    const s = env.s;
    if (!allocAndCopy(s, l.mig, false, () => allocSysPage(s))) l.nomem = true;
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    const { cpages, done } = migrateVmaFinalize(env, l.mig);
    emit(env, { e: 'migrate', pid: l.pid, start: l.vpn, n: 1, cpages, done, to: 'sys' });
    count(env, 'migrate_to_ram');
    return ret(l.nomem ? 'SIGBUS' : 0);
  },
});
