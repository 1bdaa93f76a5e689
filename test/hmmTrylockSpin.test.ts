// The lockup behind "mm: Fix a hmm_range_fault() livelock / starvation problem" (b570f37a2ce4): on
// 6.15's core mm, hmm_range_fault() retries with no preemption point a fault that met a device-
// private folio another task holds locked, so under PREEMPT_NONE or VOLUNTARY the holder never gets
// the CPU back. 7.0 sleeps on the folio instead; 6.1 and 6.12 take no folio lock there; PREEMPT_FULL
// preempts the spinner. And the per-CPU LRU batches behind the SMP form of it: migrate_device_unmap()
// drains every CPU's batch through work bound to each CPU (model/kernel/lruBatch.ts).
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import type { ChunkExecutor } from '../check/runChunks.js';
import { soak } from '../check/soak.js';
import { mirror } from '../drivers/mirror.js';
import { profileByName } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';
import { pollForDeferredWork } from './pollForDeferredWork.js';
import { svmFlushBusyWait } from '../drivers/broken/svmFlushBusyWait.js';
import { kernelFindingFor } from '../model/kernelFindings.js';
import type { KernelVersion } from '../model/kernelVersion.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';

const gpu = { mem: 'private', vram: 1, hive: 0 } as const;

// The cpus suite's shrunk case on 6.15: gpu0 reads the page into its VRAM; the CPU read faults it
// back (do_swap_page() locks the folio, dmirror's migrate_to_ram runs and is preempted at a
// might_sleep() point); gpu1 (another pgmap owner) faults the same page and spins on the lock.
const spin = (kernel: KernelVersion, preempt: 'none' | 'voluntary' | 'full'): Program => ({
  config: { cpus: 1, preempt, vaPages: 8, sysPages: 40, maxProcs: 3, kernel, gpus: [gpu, gpu] },
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
    { op: 'gpu_read', gpu: 1, proc: 0, vma: 0, off: 0 },
    { op: 'cpu_read', on: 0, proc: 0, vma: 0, off: 0 },
  ],
  schedule: [0, 0, 0, 2],
  faults: [],
});

describe('hmm_range_fault() spinning on a locked device-private folio (6.15)', () => {
  it('6.15 under PREEMPT_VOLUNTARY: a soft lockup, the spinner keeping the CPU the lock holder needs', () => {
    const r = execute(mirror, spin('6.15', 'voluntary'));
    expect(r.violation?.invariant).toBe('no-lockup');
    const w = r.violation?.witness;
    if (w?.k !== 'lasso') throw new Error('no lasso');
    const holder = w.cpus?.find((l) => l.holds.some((h) => h.startsWith('page_lock:')));
    expect(holder?.waits).toContain('a CPU');
    // Explained by the known upstream bug of 6.15, and by no bug of any other release.
    expect(kernelFindingFor('6.15', 'no-lockup', r.state)?.fixedBy).toContain('b570f37a2ce4');
    expect(kernelFindingFor('7.0', 'no-lockup', r.state)).toBeUndefined();
  });

  it('under PREEMPT_NONE the holder is not preempted at its might_sleep() points: this schedule is clean', () => {
    const r = execute(mirror, spin('6.15', 'none'));
    expect(r.violation).toBeNull();
    expect(r.undecided).toBe(false);
  });

  it('PREEMPT_FULL preempts the spinner: clean', () => {
    const r = execute(mirror, spin('6.15', 'full'));
    expect(r.violation).toBeNull();
    expect(r.undecided).toBe(false);
  });

  it('7.0 sleeps on the folio (the fix), 6.1 and 6.12 take no lock there: clean on the same schedule', () => {
    for (const k of ['6.1', '6.12', '7.0'] as const) {
      const r = execute(mirror, spin(k, 'voluntary'));
      expect(r.violation, k).toBeNull();
      expect(r.undecided, k).toBe(false);
    }
  });
});

describe('a soak of 6.15 that meets it', () => {
  it("reports it as the release's known upstream bug, not as a failing slot; another lockup still fails", async () => {
    // Every slot's first chunk "finds" the program (a fake executor): the soak replays it and asks
    // model/kernelFindings.ts whether the state it ends in is this bug.
    const onMirror = { ...mirror, suite: 'cpus' };
    const r = await soak([onMirror], {
      seconds: 30,
      runs: 10,
      seed: 1,
      seeds: 1,
      executor: () => findsOnce(mirror, spin('6.15', 'voluntary')),
    });
    expect(r.slots[0]?.known).toBe(true);
    expect(r.slots[0]?.kernelFinding).toBe('hmm-range-fault-trylock-spin');
    expect(r.failures).toBe(0);
    // A lockup of the driver's own making on 6.15 (set_attr polling per-CPU work) is not explained.
    const poller = { ...svmFlushBusyWait, suite: 'cpus' };
    delete poller.broken;
    const polls = pollForDeferredWork('none');
    const program = { ...polls, config: { ...polls.config, kernel: '6.15' as const } };
    const f = await soak([poller], {
      seconds: 30,
      runs: 10,
      seed: 1,
      seeds: 1,
      executor: () => findsOnce(poller, program),
    });
    expect(f.slots[0]?.failure?.violation.invariant).toBe('no-lockup');
    expect(f.slots[0]?.kernelFinding).toBeUndefined();
    expect(f.failures).toBe(1);
  });
});

describe('a check that tolerates known kernel bugs (what soak runs)', () => {
  it('tallies a run the release bug explains under its id and goes on; without tolerance the run fails', () => {
    // Seed 11: one of these 2,000 generated programs on the cpus suite hits the 6.15 spin.
    const profile = profileByName('cpus');
    if (!profile) throw new Error('no cpus suite');
    const on615 = { ...profile, kernel: '6.15' as const };
    const tolerant = checkDriver(mirror, on615, { runs: 2000, seed: 11, tolerateKernelFindings: true });
    expect(tolerant.failure).toBeNull();
    expect(tolerant.runs).toBe(2000);
    expect(tolerant.known).toEqual({ 'hmm-range-fault-trylock-spin': 1 });
    const plain = checkDriver(mirror, on615, { runs: 2000, seed: 11, shrinkUntil: Date.now() + 20_000 });
    expect(plain.failure?.violation.invariant).toBe('no-lockup');
    expect(plain.known).toBeUndefined();
  });
});

/** An executor whose every chunk "finds" `program` on `driver` in one run: what a soak makes of it. */
function findsOnce(driver: Driver, program: Program): ChunkExecutor {
  return {
    capacity: 1,
    run(job) {
      const violation = execute(driver, program).violation;
      if (!violation) throw new Error(`findsOnce: ${driver.name} passes the program`);
      const failure = {
        program,
        violation,
        trace: [],
        fastCheckOps: program.ops.length,
        fastCheckShrinks: 0,
        minimizeAttempts: 0,
        path: '0',
      };
      return Promise.resolve({
        driver: driver.name,
        profile: 'cpus',
        seed: job.seed,
        runs: 1,
        steps: 1,
        stats: {},
        runsWith: {},
        interrupted: false,
        failure,
      });
    },
    close: () => Promise.resolve(),
  };
}

describe('per-CPU LRU batches and lru_add_drain_all()', () => {
  const write: Op = { op: 'cpu_write', on: 0, proc: 0, vma: 0, off: 0 };
  const migrate = (on: number): Op => ({
    op: 'migrate',
    on,
    gpu: 0,
    proc: 0,
    vma: 0,
    off: 0,
    len: 1,
    to: 'dev',
  });
  const program = (cpus: number | undefined, ops: Op[]): Program => ({
    config: {
      ...(cpus === undefined ? {} : { cpus, preempt: 'voluntary' as const }),
      vaPages: 8,
      sysPages: 40,
      maxProcs: 3,
      gpus: [{ mem: 'private', vram: 2, hive: 0 }],
    },
    ops: [{ op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false }, ...ops],
    schedule: [],
    faults: [],
  });
  const DRAIN = 'mm: lru_add_drain_all() drained every CPU';

  it("a new anonymous page waits in the faulting CPU's batch (folio_test_lru() false)", () => {
    const r = execute(mirror, program(2, [write]));
    const page = r.state.procs[0]?.pt[0];
    expect(page && r.state.phys[page.page]?.lru).toBe(0);
  });

  it("migrating it from another CPU drains every CPU's batch through work bound to that CPU", () => {
    const r = execute(mirror, program(2, [write, migrate(1)]), { trace: true });
    expect(r.violation).toBeNull();
    expect(r.stats.get(DRAIN)).toBe(1);
    // The per-CPU work ran as a kworker of its own.
    expect(r.trace.some((t) => t.agent === 'kworker')).toBe(true);
    expect(r.state.phys.some((p) => p.lru !== undefined)).toBe(false);
  });

  it("from the same CPU, migrate_device_unmap()'s own lru_add_drain() is enough", () => {
    const r = execute(mirror, program(2, [write, migrate(0)]));
    expect(r.violation).toBeNull();
    expect(r.stats.get(DRAIN)).toBeUndefined();
  });

  it('without CPUs modelled no page is ever batched', () => {
    const r = execute(mirror, program(undefined, [write, migrate(1)]));
    expect(r.state.phys.some((p) => p.lru !== undefined)).toBe(false);
    expect(r.stats.get(DRAIN)).toBeUndefined();
  });
});
