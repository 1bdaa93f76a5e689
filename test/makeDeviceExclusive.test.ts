// make_device_exclusive() before and after its 6.15 rework, as the model's versioned rules write it
// (kernelRules.ts make_device_exclusive, device_exclusive_mapcount, device_exclusive_migration): the
// same hmm-tests-style programs on 6.12 and 7.0 and what tells the releases apart. 6.1 and 6.12 are
// checked against the real kernels by the conformance records; 6.15 and 7.0 only against their
// sources (nothing newer than 6.12 is installable here).
import { describe, expect, it } from 'vitest';
import { loadConformanceFile } from '../conformance/conformanceFile.js';
import { runOnModel } from '../conformance/runOnModel.js';
import { generatePrograms } from '../conformance/programArb.js';
import { kernelRule } from '../model/kernelRules.js';
import { isLocked, pageLock } from '../model/locks.js';
import { pageAccounting } from '../properties/pageAccounting.js';
import { HmmSim, iota, WORDS } from './hmmSim.js';
import { dmirror } from '../drivers/dmirror/dmirror.js';

const N = 8;
const DEVS = [
  { name: 'device-private', dev: 0 },
  { name: 'device-coherent', dev: 2 },
];

/** An rw buffer of N pages written by the CPU, and a mirror of device `dev` on it. */
function setup(kernel: '6.12' | '7.0', dev: number): { sim: HmmSim; fd: number; p: number } {
  const sim = new HmmSim(128, 64, 'madvise', kernel);
  const fd = sim.open(dev, 0);
  const p = sim.mmap(0, N, 'rw');
  for (let i = 0; i < N; i++) sim.write(0, p + i, i * WORDS);
  return { sim, fd, p };
}

const pageAt = (sim: HmmSim, vpn: number): number => sim.s.procs[0]?.pt[vpn]?.page ?? -1;

describe('make_device_exclusive(): 6.12 against 7.0', () => {
  it('the rules name the rework for 6.15 and 7.0 only', () => {
    for (const k of ['6.1', '6.12'] as const) {
      expect(kernelRule({ kernel: k }, 'make_device_exclusive')).toBe('range-rmap');
      expect(kernelRule({ kernel: k }, 'device_exclusive_mapcount')).toBe('dropped');
    }
    for (const k of ['6.15', '7.0'] as const) {
      expect(kernelRule({ kernel: k }, 'make_device_exclusive')).toBe('one-pte');
      expect(kernelRule({ kernel: k }, 'device_exclusive_mapcount')).toBe('kept');
      expect(kernelRule({ kernel: k }, 'device_exclusive_migration')).toBe('migrated');
    }
  });

  for (const { name, dev } of DEVS)
    for (const kernel of ['6.12', '7.0'] as const)
      it(`${name}, ${kernel}: every page becomes a device-exclusive entry, the folio unlocked, the mapcount as the release says`, () => {
        const { sim, fd, p } = setup(kernel, dev);
        const pages = Array.from({ length: N }, (_x, i) => pageAt(sim, p + i));
        const r = sim.cmd(fd, 'exclusive', p, N);
        expect([r.ret, r.cpages]).toEqual([0, N]);
        expect(r.data).toEqual(iota(N));
        for (let i = 0; i < N; i++) {
          const e = sim.s.procs[0]?.pt[p + i];
          expect(e?.t).toBe('x');
          const pg = sim.s.phys[pages[i] ?? -1];
          // 6.12: page_make_device_exclusive_one() dropped the rmap; 7.0 keeps it.
          expect(pg?.map).toBe(kernel === '7.0' ? 1 : 0);
          expect(pg?.ref).toBe(1);
          expect(isLocked(sim.s, pageLock(pages[i] ?? -1))).toBe(false);
        }
        expect(pageAccounting.check(sim.s, [], dmirror)).toBeNull();
        // The CPU takes each page back (remove_device_exclusive_entry), mapcount 1 either way.
        for (let i = 0; i < N; i++) expect(sim.read(0, p + i)).toBe(i * WORDS);
        for (let i = 0; i < N; i++) expect(sim.s.phys[pages[i] ?? -1]?.map).toBe(1);
        expect(sim.cmd(fd, 'check_exclusive', p, N).ret).toBe(0);
        expect(pageAccounting.check(sim.s, [], dmirror)).toBeNull();
      });

  it('munmap of device-exclusive entries frees the pages on both releases (7.0 removes the rmap it kept)', () => {
    for (const kernel of ['6.12', '7.0'] as const) {
      const { sim, fd, p } = setup(kernel, 0);
      const pages = Array.from({ length: N }, (_x, i) => pageAt(sim, p + i));
      expect(sim.cmd(fd, 'exclusive', p, N).ret).toBe(0);
      expect(sim.munmap(0, p, N)).toBe(0);
      for (const pg of pages) expect(sim.s.phys[pg]?.free).toBe(true);
      expect(pageAccounting.check(sim.s, [], dmirror)).toBeNull();
    }
  });

  it("a read-only mapping: 6.12 says -EBUSY (every miss is), 7.0 returns GUP's -EFAULT as it is", () => {
    for (const kernel of ['6.12', '7.0'] as const) {
      const sim = new HmmSim(128, 64, 'madvise', kernel);
      const fd = sim.open(0, 0);
      const p = sim.mmap(0, N, 'r');
      expect(sim.cmd(fd, 'exclusive', p, N).ret).toBe(kernel === '7.0' ? -14 : -16);
    }
  });

  it('a shared (not anonymous) page: 6.12 -EBUSY, 7.0 -EOPNOTSUPP', () => {
    for (const kernel of ['6.12', '7.0'] as const) {
      const sim = new HmmSim(128, 64, 'madvise', kernel);
      const fd = sim.open(0, 0);
      const p = sim.mmap(0, N, 'rw', true);
      sim.write(0, p, 5);
      expect(sim.cmd(fd, 'exclusive', p, 1).ret).toBe(kernel === '7.0' ? -95 : -16);
    }
  });

  it('a CPU access waits for the folio lock make_device_exclusive() returns with', () => {
    const { sim, fd, p } = setup('7.0', 0);
    expect(sim.cmd(fd, 'exclusive', p, 1).ret).toBe(0);
    const page = pageAt(sim, p);
    // Hold the folio lock as dmirror_exclusive() does between make_device_exclusive() and folio_unlock().
    sim.s.locks[pageLock(page)] = { w: 999, r: [] };
    expect(() => sim.read(0, p)).toThrow(/block|lock/i);
    expect(sim.s.procs[0]?.pt[p]?.t).toBe('x');
  });
});

describe('device eviction of an exclusive device-coherent page (findings F2, F3) on 7.0', () => {
  const dir = new URL('../conformance/findings/6.12/', import.meta.url).pathname;
  for (const f of [
    'F2-release-hangs-on-device-exclusive-coherent-page.json',
    'F3-failed-eviction-turns-device-exclusive-entry-into-pte-and-leaks.json',
    'F3b-release-hangs-after-leaked-reference.json',
  ])
    it(`${f}: 6.12 predicts what 6.12 printed, 7.0 neither hangs nor predicts the same`, () => {
      const cx = loadConformanceFile(`${dir}${f}`);
      expect(runOnModel(cx.program, '6.12').lines).toEqual(cx.observed.lines);
      const m = runOnModel(cx.program, '7.0');
      expect(m.end).not.toBe('hang');
      expect(m.lines).not.toEqual(cx.observed.lines);
    });
});

describe('generated conformance programs on the 6.15 and 7.0 models', () => {
  // The conformance generator's programs (HMM_DMIRROR_EXCLUSIVE among their operations) cannot run
  // on a kernel here; on the model they must run to their end, or to an oops or hang the model
  // predicts, without the model failing (a thrown Error is a model defect).
  for (const kernel of ['6.15', '7.0'] as const)
    it(`${kernel}: 300 programs run, many with device-exclusive access`, () => {
      let exclusive = 0;
      for (const prog of generatePrograms(300, 770031)) {
        const m = runOnModel(prog, kernel);
        if (m.lines.some((l) => l.op === 'dm_exclusive' && !('error' in l))) exclusive++;
      }
      expect(exclusive).toBeGreaterThan(50);
    });
});
