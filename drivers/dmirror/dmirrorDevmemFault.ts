// dmirror_devmem_fault() (dev_pagemap_ops.migrate_to_ram, called from do_swap_page): migrate the
// one faulting device-private page back with the mirror that migrated it (rpage->zone_device_data),
// dropping that mirror's entry at the faulting address; SIGBUS if migrate_vma_setup fails.
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { allocSysPage } from '../../model/mem.js';
import { call, defineProc, goto, ret } from '../../model/proc.js';
import { dmOwner, dmState, mirrorById, mirrorErase } from './dmirrorState.js';
import { PAGES, mut } from '../../model/touched.js';

interface L {
  page: number;
  pid: number;
  vpn: number;
  m: number;
  mig: number;
}

export const dmirrorDevmemFault = defineProc<L>('migrate_to_ram', {
  start(env, l) {
    const s = env.s;
    const id = dmState(s).migratedBy[l.page];
    if (id === undefined)
      throw new Error(`dmirror model: device page ${l.page} was not migrated by a mirror`);
    const m = mirrorById(s, id);
    if (!m.alive)
      throw new Error(`dmirror model: device page ${l.page} outlived mirror ${m.id} that migrated it`);
    l.m = id;
    const priv = s.cfg.gpus[m.dev]?.mem === 'private';
    const sel = { sys: false, priv, coh: !priv };
    const args = { pid: l.pid, start: l.vpn, n: 1, owner: dmOwner(m.dev), sel, faultPage: l.page };
    return call('migrate_vma_setup', args, 'setup');
  },
  setup(env, l, r) {
    const s = env.s;
    const res = r as SetupResult;
    if (res.err !== '0') return ret('SIGBUS');
    l.mig = res.mig;
    const mig = migrationById(s, l.mig);
    const m = mirrorById(s, l.m);
    mig.src.forEach((src, i) => {
      if (!src.migrate || src.page < 0) return;
      const dst = allocSysPage(s);
      if (dst < 0) return;
      mirrorErase(env, m, l.vpn + i);
      const d = s.phys[dst];
      if (d) mut(PAGES, d).data = s.phys[src.page]?.data ?? 0;
      mig.dst[i] = dst;
    });
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    migrateVmaFinalize(env, l.mig);
    return goto('done');
  },
  done() {
    return ret(0);
  },
});
