// dmirror_devmem_fault() (dev_pagemap_ops.migrate_to_ram, called from do_swap_page, or from
// do_huge_pmd_device_private() for a device-private pmd entry): migrate the faulting device-private
// page back with the mirror that migrated it (the head page's rpage->zone_device_data), dropping
// that mirror's entries; SIGBUS if migrate_vma_setup fails. Where the kernel migrates large
// folios (model/kernel/thp.ts devicePrivateThp, Balbir Singh's test_hmm THP patches): a fault on
// a pmd entry migrates the whole PMD-aligned folio with MIGRATE_VMA_SELECT_COMPOUND into a system
// folio of the same order (vma_alloc_folio(), one small page if that fails); a fault through a
// pte migrates one page ("When folios are partially mapped, we can't rely on the folio order of
// vmf->page": the vmf->pte check of the series' fixup).
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { pmdPages, pmdStart } from '../../model/kernel/pmd.js';
import { devicePrivateThp, folioHead } from '../../model/kernel/thp.js';
import { call, defineProc, goto, ret } from '../../model/proc.js';
import { dmOwner, dmState, mirrorById } from './dmirrorState.js';
import { copyToSystem } from './dmirrorCopyToSystem.js';

interface L {
  page: number;
  pid: number;
  vpn: number;
  /** do_huge_pmd_device_private()'s call: vmf->pte is NULL. */
  pmd?: boolean;
  m: number;
  mig: number;
  start: number;
}

export const dmirrorDevmemFault = defineProc<L>('migrate_to_ram', {
  start(env, l) {
    const s = env.s;
    const id = dmState(s).migratedBy[folioHead(s, l.page)];
    if (id === undefined)
      throw new Error(`dmirror model: device page ${l.page} was not migrated by a mirror`);
    const m = mirrorById(s, id);
    if (!m.alive)
      throw new Error(`dmirror model: device page ${l.page} outlived mirror ${m.id} that migrated it`);
    l.m = id;
    const priv = s.cfg.gpus[m.dev]?.mem === 'private';
    const large = !!l.pmd && s.phys[l.page]?.head !== undefined;
    const sel = { sys: false, priv, coh: !priv, ...(large ? { compound: true } : {}) };
    l.start = large ? pmdStart(s.cfg, l.vpn) : l.vpn;
    const n = large ? pmdPages(s.cfg) : 1;
    const args = { pid: l.pid, start: l.start, n, owner: dmOwner(m.dev), sel, faultPage: l.page };
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
      // dmirror_devmem_fault_alloc_and_copy(): a folio of the source's order, else one page.
      copyToSystem(env, m, mig, i, l.start, !!src.compound && devicePrivateThp(s.cfg));
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
