// Device-private large folios (kernelRules.ts device_private_thp; model/kernel/thp.ts,
// migrateCompound.ts), one test per behaviour, on 4-page PMDs (Config.pmdPages) so that a PMD fits a
// small scope: lib/test_hmm's MIGRATE_VMA_SELECT_COMPOUND migrations make device-private pmd
// entries on 7.0 and small pages on releases without them; fork copies the pmd entry, a CPU fault
// on it migrates the folio back whole, hmm_range_fault() reports its order, a partial migration or
// munmap splits it.
import { describe, expect, it } from 'vitest';
// The engine first: migrate.ts reaches it back through lruBatch.ts (spawn), an import cycle that
// only resolves when the engine starts loading first.
import '../model/engine.js';
import { HmmSim } from './hmmSim.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../model/config.js';
import { pmdPages } from '../model/kernel/pmd.js';
import { ThpNotModelled } from '../model/kernel/thp.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import { PROT } from '../drivers/dmirror/dmirrorSnapshot.js';

const PMD = 4;

/** /dev/hmm_dmirror0 (device-private) over an 8-page buffer whose first PMD is [p, p + 4). */
function setup(kernel: KernelVersion, thp: 'always' | 'madvise' = 'madvise', vram = 16) {
  const sim = new HmmSim(128, vram, thp, kernel, PMD);
  const fd = sim.open(0, 0);
  const p = sim.mmap(0, 2 * PMD, 'rw');
  expect(p % PMD).toBe(0);
  const pt = () => sim.s.procs[0]?.pt ?? [];
  const huge = (pid = 0) => (sim.s.procs[pid]?.hpmd ?? []).includes(p / PMD);
  const head = (vpn: number, pid = 0) => sim.s.phys[sim.s.procs[pid]?.pt[vpn]?.page ?? 0]?.head;
  return { sim, fd, p, pt, huge, head };
}

/** Writes page i of the block with 100 + i (a THP under THP=always), then migrates it to the device. */
function deviceThp(kernel: KernelVersion) {
  const t = setup(kernel, 'always');
  for (let i = 0; i < PMD; i++) expect(t.sim.write(0, t.p + i, 100 + i)).toBe(0);
  expect(t.huge()).toBe(true);
  const r = t.sim.cmd(t.fd, 'migrate_to_dev', t.p, PMD);
  expect([r.ret, r.data]).toEqual([0, [100, 101, 102, 103]]);
  return t;
}

describe('the PMD size is a configuration value', () => {
  it('defaults to 512 pages and takes a power of two from 2 to 512', () => {
    expect(pmdPages(DEFAULT_CONFIG)).toBe(512);
    expect(ConfigSchema.safeParse({ ...DEFAULT_CONFIG, pmdPages: 4 }).success).toBe(true);
    for (const bad of [3, 1, 1024])
      expect(ConfigSchema.safeParse({ ...DEFAULT_CONFIG, pmdPages: bad }).success).toBe(false);
  });
});

describe('system THPs at fork and on a write fault (every release)', () => {
  /** A THP of 4 pages written 100 + i, then fork: both map it read-only under a huge pmd. */
  function forkedThp(kernel: KernelVersion) {
    const t = setup(kernel, 'always');
    for (let i = 0; i < PMD; i++) expect(t.sim.write(0, t.p + i, 100 + i)).toBe(0);
    const child = t.sim.fork(0);
    expect([t.huge(0), t.huge(child)]).toEqual([true, true]);
    expect(t.pt()[t.p]?.w).toBe(false);
    return { ...t, child };
  }

  for (const kernel of ['6.1', '7.0'] as const) {
    it(`${kernel}: once the child is gone the folio is the pmd's alone, and a write reuses the pmd whole (do_huge_pmd_wp_page)`, () => {
      const t = forkedThp(kernel);
      t.sim.exit(t.child);
      expect(t.sim.write(0, t.p + 2, 7)).toBe(0);
      expect(t.huge()).toBe(true);
      expect(
        t
          .pt()
          .slice(t.p, t.p + PMD)
          .every((e) => e?.t === 'p' && e.w),
      ).toBe(true);
      expect(t.head(t.p + 2)).toBe(t.pt()[t.p]?.page);
    });

    it(`${kernel}: a write while the child maps the folio splits the pmd and copies the page; the child keeps the old data`, () => {
      const t = forkedThp(kernel);
      expect(t.sim.write(0, t.p, 7)).toBe(0);
      expect(t.huge()).toBe(false);
      expect(t.head(t.p)).toBeUndefined(); // a small copy
      expect(t.head(t.p + 1)).toBe((t.pt()[t.p + 1]?.page ?? 0) - 1); // the rest map the large folio
      expect([t.sim.read(0, t.p), t.sim.read(t.child, t.p)]).toEqual([7, 100]);
    });

    it(`${kernel}: a page of a large folio only this process maps, not PageAnonExclusive, is refused on write (its reuse differs by release)`, () => {
      const t = forkedThp(kernel);
      expect(t.sim.write(0, t.p, 7)).toBe(0); // split, copy of page 0
      t.sim.exit(t.child);
      expect(() => t.sim.write(0, t.p + 1, 8)).toThrow(ThpNotModelled);
    });
  }

  it('a partial munmap of a THP splits its pmd and leaves the rest mapped', () => {
    const t = setup('7.0', 'always');
    for (let i = 0; i < PMD; i++) t.sim.write(0, t.p + i, 100 + i);
    expect(t.sim.munmap(0, t.p + 1, 2)).toBe(0);
    expect(t.huge()).toBe(false);
    expect([t.sim.read(0, t.p), t.sim.read(0, t.p + 3)]).toEqual([100, 103]);
    expect(t.head(t.p + 3)).toBe(t.pt()[t.p]?.page);
  });
});

describe('device-private THP (Linux 7.0) and its absence (6.12)', () => {
  it('a device folio that fork shares is evicted whole for both processes, read-only', () => {
    const t = deviceThp('7.0');
    const child = t.sim.fork(0);
    expect(t.sim.cmd(t.fd, 'release', t.p, 1).ret).toBe(0);
    for (const pid of [0, child]) {
      expect(t.huge(pid)).toBe(true);
      const e = t.sim.s.procs[pid]?.pt ?? [];
      expect(e.slice(t.p, t.p + PMD).every((x) => x?.t === 'p' && !x.w)).toBe(true);
    }
    expect(t.sim.s.phys[t.pt()[t.p]?.page ?? 0]?.map).toBe(2);
    expect(t.sim.read(child, t.p + 1)).toBe(101);
    expect(t.sim.write(0, t.p + 1, 7)).toBe(0); // copy-on-write of a THP page another process maps
    expect([t.sim.read(0, t.p + 1), t.sim.read(child, t.p + 1)]).toEqual([7, 101]);
    expect(t.huge()).toBe(false);
  });

  it('a PMD-sized hole migrated with SELECT_COMPOUND becomes one device-private pmd entry on 7.0 only', () => {
    const a = setup('7.0');
    expect(a.sim.cmd(a.fd, 'migrate_to_dev', a.p, PMD).ret).toBe(0);
    expect(a.huge()).toBe(true);
    expect(
      a
        .pt()
        .slice(a.p, a.p + PMD)
        .map((e) => e?.t),
    ).toEqual(['d', 'd', 'd', 'd']);
    const h = a.pt()[a.p]?.page ?? -1;
    expect(
      a
        .pt()
        .slice(a.p, a.p + PMD)
        .map((e) => e?.page),
    ).toEqual([h, h + 1, h + 2, h + 3]);
    expect(a.head(a.p + 3)).toBe(h);
    const b = setup('6.12');
    expect(b.sim.cmd(b.fd, 'migrate_to_dev', b.p, PMD).ret).toBe(0);
    expect(b.huge()).toBe(false);
    expect(b.head(b.p)).toBeUndefined();
  });

  it('a THP is migrated whole (migrate_vma_collect_huge_pmd); 6.12 refuses it as before', () => {
    const t = deviceThp('7.0');
    expect(t.huge()).toBe(true);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .every((e) => e?.t === 'd'),
    ).toBe(true);
    expect(t.sim.s.phys[t.pt()[t.p]?.page ?? 0]?.gpu).toBe(0);
    const old = setup('6.12', 'always');
    for (let i = 0; i < PMD; i++) old.sim.write(0, old.p + i, 100 + i);
    expect(() => old.sim.cmd(old.fd, 'migrate_to_dev', old.p, PMD)).toThrow(ThpNotModelled);
  });

  it('hmm_range_fault reports the device-private pmd with its order (snapshot PMD bit)', () => {
    const t = deviceThp('7.0');
    const snap = t.sim.cmd(t.fd, 'snapshot', t.p, 2 * PMD).snap ?? [];
    const local = PROT.DEV_PRIVATE_LOCAL | PROT.WRITE | PROT.PMD;
    expect(snap.slice(0, PMD)).toEqual([local, local, local, local]);
    expect(snap.slice(PMD).every((x) => (x & PROT.PMD) === 0)).toBe(true);
  });

  it('a CPU fault on the device-private pmd migrates the whole folio back as a THP (do_huge_pmd_device_private)', () => {
    const t = deviceThp('7.0');
    expect(t.sim.read(0, t.p + 2)).toBe(102);
    expect(t.huge()).toBe(true);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .map((e) => e?.t),
    ).toEqual(['p', 'p', 'p', 'p']);
    expect(t.head(t.p + 1)).toBe(t.pt()[t.p]?.page);
    expect(t.sim.s.phys[t.pt()[t.p]?.page ?? 0]?.gpu).toBe(-1);
    for (let i = 0; i < PMD; i++) expect(t.sim.read(0, t.p + i)).toBe(100 + i);
  });

  it('fork copies the device-private pmd entry read-only into both, and a fault in the child migrates it for both', () => {
    const t = deviceThp('7.0');
    const child = t.sim.fork(0);
    expect(t.huge(child)).toBe(true);
    const ce = t.sim.s.procs[child]?.pt ?? [];
    expect(ce.slice(t.p, t.p + PMD).every((e) => e?.t === 'd' && !e.w)).toBe(true);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .every((e) => e?.t === 'd' && !e.w),
    ).toBe(true);
    expect(t.sim.s.phys[t.pt()[t.p]?.page ?? 0]?.map).toBe(2);
    expect(t.sim.read(child, t.p + 1)).toBe(101);
    for (const pid of [0, child]) {
      expect(t.huge(pid)).toBe(true);
      const e = t.sim.s.procs[pid]?.pt ?? [];
      expect(e.slice(t.p, t.p + PMD).every((x) => x?.t === 'p' && !x.w)).toBe(true);
    }
    expect(t.sim.read(0, t.p + 3)).toBe(103);
  });

  it('migrating part of the PMD splits the folio (split_folio) and moves only that part', () => {
    const t = deviceThp('7.0');
    const r = t.sim.cmd(t.fd, 'migrate_to_sys', t.p + 1, 2);
    expect([r.ret, r.cpages]).toEqual([0, 2]);
    expect(t.huge()).toBe(false);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .map((e) => e?.t),
    ).toEqual(['d', 'p', 'p', 'd']);
    expect(t.head(t.p)).toBeUndefined();
    expect(t.head(t.p + 3)).toBeUndefined();
    for (let i = 0; i < PMD; i++) expect(t.sim.read(0, t.p + i)).toBe(100 + i);
  });

  it('a partial munmap splits the pmd; a fault through a pte then splits the folio (migrate_vma_split_folio)', () => {
    const t = deviceThp('7.0');
    expect(t.sim.munmap(0, t.p + 3, 1)).toBe(0);
    expect(t.huge()).toBe(false);
    expect(
      t
        .pt()
        .slice(t.p, t.p + 3)
        .every((e) => e?.t === 'd'),
    ).toBe(true);
    const h = t.pt()[t.p]?.page;
    expect(t.head(t.p + 1)).toBe(h); // the folio stays large, pte-mapped
    expect(t.sim.read(0, t.p + 1)).toBe(101);
    expect(t.pt()[t.p + 1]?.t).toBe('p');
    expect([t.pt()[t.p]?.t, t.head(t.p)]).toEqual(['d', undefined]);
    expect(t.sim.read(0, t.p)).toBe(100);
  });

  it('mprotect of the whole PMD keeps it huge and read-only (change_huge_pmd)', () => {
    const t = deviceThp('7.0');
    expect(t.sim.mprotect(0, t.p, PMD, 'r')).toBe(0);
    expect(t.huge()).toBe(true);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .every((e) => e?.t === 'd' && !e.w),
    ).toBe(true);
  });

  it('evicting the device (HMM_DMIRROR_RELEASE) moves a device folio back whole, into a THP under the same huge pmd', () => {
    const t = deviceThp('7.0');
    expect(t.sim.cmd(t.fd, 'release', t.p, 1).ret).toBe(0);
    expect(t.huge()).toBe(true);
    expect(t.head(t.p + 3)).toBe(t.pt()[t.p]?.page);
    expect(t.sim.s.phys[t.pt()[t.p]?.page ?? 0]?.gpu).toBe(-1);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .every((e) => e?.t === 'p'),
    ).toBe(true);
    for (let i = 0; i < PMD; i++) expect(t.sim.read(0, t.p + i)).toBe(100 + i);
  });

  it('a device too small for a folio gets small pages: the compound hole is split in migrate_vma_pages', () => {
    const t = setup('7.0', 'madvise', 3);
    const r = t.sim.cmd(t.fd, 'migrate_to_dev', t.p, PMD);
    expect(r.ret).not.toBe(0); // the fourth page did not move: the read-back misses it (-ENOENT)
    expect(t.huge()).toBe(false);
    expect(
      t
        .pt()
        .slice(t.p, t.p + PMD)
        .map((e) => e?.t ?? null),
    ).toEqual(['d', 'd', 'd', null]);
    expect(t.head(t.p)).toBeUndefined();
  });
});
