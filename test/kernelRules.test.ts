// The versioned core-mm rules (model/kernelRules.ts): every rule names every release exactly once,
// a configuration without a release is 6.1's, and the rules that change behaviour do so in the
// model, scenario by scenario, for the releases they name.
import { describe, expect, it } from 'vitest';
import { listArchive } from '../archive/listArchive.js';
import { replayArchived } from '../archive/replayArchived.js';
import { caseDriver } from '../cli/caseDriver.js';
import { KERNEL_RULES, kernelRule, type KernelRuleId } from '../model/kernelRules.js';
import { KERNEL_VERSIONS, kernelOf, type KernelVersion } from '../model/kernelVersion.js';
import { pageLock } from '../model/locks.js';
import { HmmSim } from './hmmSim.js';

const ids = Object.keys(KERNEL_RULES) as KernelRuleId[];

describe('the versioned rules table', () => {
  for (const id of ids)
    it(`${id}: every release has exactly one variant, with its source`, () => {
      for (const k of KERNEL_VERSIONS) {
        const holding = KERNEL_RULES[id].variants.filter((v) => (v.kernels as readonly string[]).includes(k));
        expect(holding, `${id} on ${k}`).toHaveLength(1);
      }
      for (const v of KERNEL_RULES[id].variants) expect(v.source).toMatch(/mm\/|lib\/|tools\//);
    });

  it('a configuration without a release is 6.1 (archives from before the field)', () => {
    expect(kernelOf({})).toBe('6.1');
    expect(kernelRule({}, 'can_change_pte_writable')).toBe('dirty-exclusive');
    expect(kernelRule({ kernel: '7.0' }, 'do_swap_page_device_private')).toBe('trylock-wait');
  });
});

/** An anonymous page written, sent to device 0 and brought back: exclusive, its pte clean. */
function cleanExclusive(kernel: KernelVersion): { sim: HmmSim; vpn: number } {
  const sim = new HmmSim(200, 64, 'madvise', kernel);
  const pid = 0;
  const m = sim.open(0, pid);
  const vpn = sim.mmap(pid, 1, 'rw');
  expect(sim.write(pid, vpn, 7)).toBe(0);
  expect(sim.cmd(m, 'migrate_to_dev', vpn, 1).ret).toBe(0);
  expect(sim.cmd(m, 'migrate_to_sys', vpn, 1).ret).toBe(0);
  const pte = sim.s.procs[pid]?.pt[vpn];
  expect(pte?.t === 'p' && pte.d !== true).toBe(true);
  expect(sim.mprotect(pid, vpn, 1, 'r')).toBe(0);
  expect(sim.mprotect(pid, vpn, 1, 'rw')).toBe(0);
  return { sim, vpn };
}

describe('can_change_pte_writable', () => {
  it('6.1: a clean pte of an exclusive anonymous page stays read-only after mprotect(RW)', () => {
    const { sim, vpn } = cleanExclusive('6.1');
    expect(sim.s.procs[0]?.pt[vpn]?.w).toBe(false);
  });
  for (const k of ['6.12', '6.15', '7.0'] as const)
    it(`${k}: the same pte gets write back without a fault`, () => {
      const { sim, vpn } = cleanExclusive(k);
      expect(sim.s.procs[0]?.pt[vpn]?.w).toBe(true);
    });
});

/** A page of process 0 on device 0, and whether a CPU read fault on it finds its lock taken. */
function devicePage(kernel: KernelVersion): { sim: HmmSim; vpn: number; page: number } {
  const sim = new HmmSim(200, 64, 'madvise', kernel);
  const pid = 0;
  const m = sim.open(0, pid);
  const vpn = sim.mmap(pid, 1, 'rw');
  expect(sim.write(pid, vpn, 9)).toBe(0);
  expect(sim.cmd(m, 'migrate_to_dev', vpn, 1).ret).toBe(0);
  const pte = sim.s.procs[pid]?.pt[vpn];
  if (!pte || pte.t !== 'd') throw new Error('not on the device');
  return { sim, vpn, page: pte.page };
}

const fault = (sim: HmmSim, vpn: number): unknown =>
  sim.call('handle_mm_fault', { pid: 0, vpn, write: false });

describe('do_swap_page on a device-private entry', () => {
  for (const k of KERNEL_VERSIONS)
    it(`${k}: an uncontended fault brings the page back and leaves no lock or reference behind`, () => {
      const { sim, vpn, page } = devicePage(k);
      const ref = sim.s.phys[page]?.ref;
      expect(fault(sim, vpn)).toBe(0);
      expect(sim.s.procs[0]?.pt[vpn]?.t).toBe('p');
      expect(sim.s.locks[pageLock(page)]).toBeUndefined();
      // The device page lost its mapping's reference; do_swap_page's own went with it.
      expect(sim.s.phys[page]?.ref ?? 0).toBeLessThan(ref ?? 0);
    });

  /** The page lock is held by somebody else (activity 999, say a migration of the same page). */
  const contended = (k: KernelVersion): { sim: HmmSim; vpn: number } => {
    const { sim, vpn, page } = devicePage(k);
    sim.s.locks[pageLock(page)] = { w: 999, r: [] };
    return { sim, vpn };
  };

  for (const k of ['6.1', '6.12'] as const)
    it(`${k}: a contended page still goes to migrate_to_ram, whose collect skips it`, () => {
      const { sim, vpn } = contended(k);
      expect(fault(sim, vpn)).toBe(0);
      expect(sim.events.some((e) => e.e === 'notify' && e.event === 'migrate')).toBe(true);
      expect(sim.s.procs[0]?.pt[vpn]?.t).toBe('d');
    });

  it('6.15: a contended page returns at once (the access faults again): no migrate_to_ram', () => {
    const { sim, vpn } = contended('6.15');
    expect(fault(sim, vpn)).toBe(0);
    expect(sim.events.some((e) => e.e === 'notify')).toBe(false);
    expect(sim.s.procs[0]?.pt[vpn]?.t).toBe('d');
  });

  it('7.0: a contended page is slept on (nothing else runs here: the sequential runner says so)', () => {
    const { sim, vpn } = contended('7.0');
    expect(() => fault(sim, vpn)).toThrow(/blocked on \{"k":"unlocked","name":"page_lock/);
  });
});

describe('make_device_exclusive', () => {
  it('6.15 and 7.0: the one-pte rework is modelled (test/makeDeviceExclusive.test.ts has the differences)', () => {
    for (const k of ['6.15', '7.0'] as const) {
      const sim = new HmmSim(200, 64, 'madvise', k);
      const pid = 0;
      const m = sim.open(0, pid);
      const vpn = sim.mmap(pid, 1, 'rw');
      expect(sim.write(pid, vpn, 1)).toBe(0);
      expect(sim.cmd(m, 'exclusive', vpn, 1).ret).toBe(0);
      const page = sim.s.procs[pid]?.pt[vpn]?.page ?? -1;
      expect(sim.s.procs[pid]?.pt[vpn]?.t).toBe('x');
      // The entry keeps its mapcount, and the folio is unlocked once dmirror programmed the device.
      expect(sim.s.phys[page]?.map).toBe(1);
      expect(sim.s.locks[pageLock(page)]).toBeUndefined();
    }
  });
});

describe('archived cases from before the kernel field', () => {
  const cases = listArchive('counterexamples').cases;
  it('carry none, and replay on 6.1: exactly as with kernel 6.1 written in', async () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const { file, cx } of cases.slice(0, 8)) {
      expect(cx.program.config.kernel, file).toBeUndefined();
      const { driver } = await caseDriver(file, cx);
      const asIs = replayArchived(cx, driver);
      const pinned = {
        ...cx,
        program: { ...cx.program, config: { ...cx.program.config, kernel: '6.1' as const } },
      };
      const on61 = replayArchived(pinned, driver);
      expect(asIs.verdict, file).toBe(on61.verdict);
      expect(asIs.result.trace, file).toEqual(on61.result.trace);
    }
  });
});
