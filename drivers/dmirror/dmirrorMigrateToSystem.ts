// dmirror_migrate_to_system() (HMM_DMIRROR_MIGRATE_TO_SYS): per VMA, in chunks of at most 64 pages,
// migrate_vma_setup selecting this device's pages (private or coherent by device type) ->
// dmirror_devmem_fault_alloc_and_copy (drops this mirror's entry, copies to a system page) ->
// migrate_vma_pages; cpages counts the entries that really moved (a compound one counts once, its
// other entries being 0). Where the kernel migrates large folios (model/kernel/thp.ts
// devicePrivateThp): chunks of PTRS_PER_PTE pages with MIGRATE_VMA_SELECT_COMPOUND, and a compound
// source gets a system folio of its order (vma_alloc_folio()), else one small page.
import { migrateVmaFinalize, migrationById, type SetupResult } from '../../model/kernel/migrate.js';
import { mmapLock, tryLock, unlock } from '../../model/locks.js';
import { vmaAt } from '../../model/mem.js';
import { pmdPages } from '../../model/kernel/pmd.js';
import { devicePrivateThp } from '../../model/kernel/thp.js';
import { block, call, defineProc, goto, ret } from '../../model/proc.js';
import type { DmResult } from './dmirrorCmd.js';
import { DM_CHUNK } from './dmirrorFault.js';
import { copyToSystem } from './dmirrorCopyToSystem.js';
import { dmOwner, mirrorById } from './dmirrorState.js';

interface L {
  m: number;
  start: number;
  n: number;
  addr: number;
  next: number;
  mig: number;
  cpages: number;
}

export const dmirrorMigrateToSystem = defineProc<L>('dmirror_migrate_to_system', {
  start(env, l) {
    const m = mirrorById(env.s, l.m);
    if (!env.s.procs[m.pid]?.alive) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    if (!tryLock(env, mmapLock(m.pid), 'r')) return block({ k: 'lock', name: mmapLock(m.pid), mode: 'r' });
    l.addr = l.start;
    l.cpages = 0;
    return goto('chunk');
  },
  chunk(env, l) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    const v = vmaAt(s, m.pid, l.addr);
    const err = l.addr >= l.start + l.n ? '0' : !v || v.prot === 'none' ? 'EINVAL' : '';
    if (err) {
      unlock(env, mmapLock(m.pid));
      return ret({ err, cpages: l.cpages, faults: 0 } satisfies DmResult);
    }
    const thp = devicePrivateThp(s.cfg);
    l.next = Math.min(l.start + l.n, l.addr + (thp ? pmdPages(s.cfg) : DM_CHUNK), v?.end ?? l.addr);
    const priv = s.cfg.gpus[m.dev]?.mem === 'private';
    const sel = { sys: false, priv, coh: !priv, ...(thp ? { compound: true } : {}) };
    const args = { pid: m.pid, start: l.addr, n: l.next - l.addr, owner: dmOwner(m.dev), sel, faultPage: -1 };
    return call('migrate_vma_setup', args, 'setup');
  },
  setup(env, l, r) {
    const s = env.s;
    const m = mirrorById(s, l.m);
    const res = r as SetupResult;
    if (res.err !== '0') {
      unlock(env, mmapLock(m.pid));
      return ret({ err: res.err, cpages: l.cpages, faults: 0 } satisfies DmResult);
    }
    l.mig = res.mig;
    const mig = migrationById(s, l.mig);
    mig.src.forEach((src, i) => {
      if (!src.migrate || src.page < 0) return;
      copyToSystem(env, m, mig, i, l.addr, !!src.compound);
    });
    return call('migrate_vma_pages', { mig: l.mig }, 'fin');
  },
  fin(env, l) {
    // dmirror_successful_migrated_pages(): MIGRATE_PFN_VALID and MIGRATE_PFN_MIGRATE after the move.
    const mig = migrationById(env.s, l.mig);
    l.cpages += mig.src.filter((x) => x.migrate && x.page >= 0).length;
    migrateVmaFinalize(env, l.mig);
    l.addr = l.next;
    return goto('chunk');
  },
});
