// Fences, engines, locks and deadlocks: the fence model against what the kernel documents
// (seed 003, dma-buf.rst, dma-fence.c), the reference fence policy, and each broken policy caught
// by the rule or the deadlock it breaks.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { execute, type ExecOptions, type ExecResult } from '../check/execute.js';
import { allDmaFences } from '../drivers/policies/allDmaFences.js';
import { FENCE_POLICIES } from '../drivers/policies/fencePolicies.js';
import { fenceReference } from '../drivers/policies/fenceReference.js';
import { resvInversion } from '../drivers/policies/resvInversion.js';
import { profileByName } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { Config } from '../model/types.js';
import { dmaFenceForwardProgress } from '../properties/fence/dmaFenceForwardProgress.js';
import { witnessText } from '../report/witnessText.js';
import { cli } from './cliHarness.js';
import { eventsOf, gpuRead, mmap, oneGpu } from './helpers.js';
import { problemWords } from '../report/problemWords.js';

const oneVramPage: Config = { ...oneGpu, gpus: [{ mem: 'private', vram: 1, hive: 0 }] };

const submit = (o: Partial<Extract<Op, { op: 'submit' }>> = {}): Op => ({
  op: 'submit',
  on: 0,
  gpu: 0,
  engine: 'gfx',
  proc: 0,
  vma: 0,
  off: 0,
  write: false,
  svm: false,
  bo: -1,
  dep: 0,
  ...o,
});

function exec(
  driver: Driver,
  ops: Op[],
  o: { config?: Config; schedule?: number[] } & ExecOptions = {},
): ExecResult {
  const program: Program = {
    config: o.config ?? oneGpu,
    ops,
    schedule: o.schedule ?? [],
    faults: [],
  };
  return execute(driver, program, { trace: true, ...o });
}

/** The seed-003 scenario: a compute job faults on the shared engine while a 3D job's buffer fills VRAM. */
const seedScenario: Op[] = [mmap(2), submit({ svm: true, write: true }), submit({ on: 1, bo: 0 })];

describe('fence model', () => {
  it('a job touching SVM memory stalls on a GPU page fault and keeps an engine that cannot preempt it', () => {
    const r = exec(fenceReference, [mmap(1), submit({ svm: true })]);
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'job-submit')[0]).toMatchObject({ kind: 'hmm', engine: 'gfx', work: 'access' });
    expect(eventsOf(r, 'gpu-fault')).toHaveLength(1);
    expect(eventsOf(r, 'fence-signal')[0]).toMatchObject({ fence: 0, kind: 'hmm' });
    expect(r.stats.get('job stalled on a GPU page fault')).toBe(1);
    expect(r.stats.get('faulting job preempted off its engine')).toBeUndefined();
  });

  it('an engine that can preempt faulting work lets go of the job while the fault is handled', () => {
    const r = exec(fenceReference, [mmap(1), submit({ svm: true, engine: 'compute' })]);
    expect(r.violation).toBeNull();
    expect(r.stats.get('faulting job preempted off its engine')).toBe(1);
  });

  it('a job queued behind a job stalled on a fault on a non-preemptible engine waits for the fault', () => {
    const ops = [mmap(2), submit({ svm: true }), submit({ on: 1, svm: true, off: 1 })];
    const r = exec(fenceReference, ops, { schedule: [0, 0, 0, 1, 0] });
    expect(r.violation).toBeNull();
    expect(r.stats.get('job waited behind a job stalled on a page fault')).toBe(1);
    const blocked = r.trace.find((t) => t.outcome === 'blocked');
    expect(blocked?.agent).toBe('gpu0 gfx job 0');
  });

  it("a faulting job's eviction waits on a 3D job's dma_fence, which runs in reserved resources", () => {
    const r = exec(fenceReference, seedScenario, { config: oneVramPage });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'job-submit').map((e) => [e.kind, e.reserved])).toEqual([
      ['hmm', false],
      ['dma', true],
    ]);
    expect(r.stats.get('eviction waited on a fence')).toBe(1);
    expect(eventsOf(r, 'bo-evict')[0]).toMatchObject({ bo: 0, waited: 1, by: 'eviction' });
  });

  it('the MMU notifier unmaps through a copy-engine job and waits for its dma_fence before munmap goes on', () => {
    const munmap: Op = { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 };
    const r = exec(fenceReference, [mmap(1), gpuRead(0), munmap]);
    expect(r.violation).toBeNull();
    const unmap = eventsOf(r, 'job-submit').find((e) => e.engine === 'sdma');
    expect(unmap).toMatchObject({ kind: 'dma', user: false, work: 'unmap' });
    expect(r.stats.get('notifier waited for a GPU unmap')).toBe(1);
    expect(r.state.gpuPt[0]?.[0]?.[0]).toBeNull();
  });

  it('a dma_fence with an hmm_fence dependency waits for it before taking any lock (rule 6)', () => {
    const r = exec(fenceReference, [mmap(1), submit({ svm: true }), submit({ bo: 0, dep: 1 })]);
    expect(r.violation).toBeNull();
    const wait = eventsOf(r, 'fence-wait').find((e) => e.purpose === 'dependency');
    expect(wait).toMatchObject({ fence: 0, kind: 'hmm', held: [] });
    // Waited for, the dependency is gone from the new dma_fence.
    expect(eventsOf(r, 'job-submit')[1]).toMatchObject({ kind: 'dma', deps: [] });
  });
});

describe('lockdep', () => {
  it('records a blocking acquisition on the attempt and a fence wait as a dependency on the fence map', () => {
    const r = exec(fenceReference, seedScenario, { config: oneVramPage });
    const edges = [...r.lockEdges.keys()];
    expect(edges).toContain('gpu_page_fault -> mmap_lock');
    expect(edges).toContain('engine_gfx -> dma_fence_map');
    expect(edges).toContain('mmap_lock -> dma_resv');
  });
});

describe('fence policies', () => {
  it('the reference passes 3000 runs of the fences suite, with stalls, evictions on fences and notifier waits', () => {
    const profile = profileByName('fences');
    if (!profile) throw new Error('no fences suite');
    const r = checkDriver(fenceReference, profile, { runs: 3000, seed: 7 });
    expect(r.failure?.violation ?? null).toBeNull();
    for (const k of [
      'job stalled on a GPU page fault',
      'job waited behind a job stalled on a page fault',
      'eviction waited on a fence',
      'notifier waited for a GPU unmap',
      'hmm_fence dependency waited for before taking locks',
    ])
      expect(r.runsWith[k] ?? 0, k).toBeGreaterThan(0);
  });

  const expected: Record<string, string> = {
    'fence-all-dma': 'non-preemptible-engine-fences',
    'fence-notifier-waits-hmm': 'no-hmm-fence-wait-in-critical-section',
    'fence-signal-alloc': 'dma-fence-signalling-path',
    'fence-resv-inversion': 'no-potential-deadlock',
    'fence-late-hmm-wait': 'hmm-dependency-waited-before-locks',
  };
  for (const d of FENCE_POLICIES.filter((x) => x.broken)) {
    it(`${d.name} is caught breaking ${expected[d.name]} in at most 15 operations`, () => {
      const profile = profileByName(d.suite ?? 'fences');
      if (!profile) throw new Error('no suite');
      const r = checkDriver(d, profile, { runs: 100_000, seed: 1, timeMs: 60_000 });
      expect(r.failure?.violation.invariant).toBe(expected[d.name]);
      expect(r.failure?.violation.cls).toBe(d.broken?.expects);
      expect(r.failure?.program.ops.length).toBeLessThanOrEqual(15);
    });
  }

  it('the lock inversion is reported as a potential deadlock in a run where no actual deadlock occurred', () => {
    const profile = profileByName('fences');
    if (!profile) throw new Error('no fences suite');
    const cx = checkDriver(resvInversion, profile, { runs: 10_000, seed: 1 }).failure;
    expect(cx?.violation.invariant).toBe('no-potential-deadlock');
    if (!cx) return;
    expect(cx.violation.witness?.k).toBe('lock-order');
    // The same program and schedule without lockdep: it runs to the end, nothing deadlocks.
    const plain = execute(resvInversion, cx.program, { lockdep: false });
    expect(plain.violation).toBeNull();
    expect(plain.state.acts).toHaveLength(0);
  });

  it('the lock inversion deadlocks in a rare schedule, and the report shows who holds what and waits on what', () => {
    const config: Config = {
      ...oneGpu,
      gpus: [
        { mem: 'private', vram: 2, hive: 1 },
        { mem: 'private', vram: 2, hive: 1 },
      ],
    };
    const ops = [
      mmap(4, { shared: true }),
      submit({ on: 1, gpu: 1, engine: 'compute', svm: true, write: true }),
      submit({ on: 1, svm: true }),
    ];
    const schedule = [2, 0, 6, 1, 4, 1, 3, 3, 5, 5];
    const r = exec(resvInversion, ops, { config, schedule, lockdep: false });
    expect(r.violation?.invariant).toBe('no-deadlock');
    const w = r.violation?.witness;
    if (w?.k !== 'wait-for') throw new Error('no wait-for witness');
    expect(w.cycle.map((l) => [l.waits.split(' ')[0], l.holds.at(-1)])).toEqual([
      ['notifier_lock:gpu1', 'dma_resv:pd.gpu1.pid0'],
      ['dma_resv:pd.gpu1.pid0', 'notifier_lock:gpu1'],
    ]);
    expect(witnessText(w).join('\n')).toMatch(
      /Wait-for cycle[^]*holds {2}.*dma_resv:pd\.gpu1\.pid0[^]*waits {2}notifier_lock:gpu1/,
    );
    // The default program order does not deadlock: only the interleaving does.
    expect(exec(resvInversion, ops, { config, lockdep: false }).violation).toBeNull();
  });

  it('all-dma: with the rules off, the seed-003 deadlock happens and shows the wait-for cycle', () => {
    const r = exec(allDmaFences, seedScenario, { config: oneVramPage, invariants: [], lockdep: false });
    expect(r.violation?.invariant).toBe('no-deadlock');
    expect(r.violation?.cls).toBe('deadlock');
    const w = r.violation?.witness;
    if (w?.k !== 'wait-for') throw new Error('no wait-for witness');
    expect(w.cycle.map((l) => l.agent)).toEqual(['gpu0 gfx job 0', 'gpu0 gfx job 1']);
    expect(w.cycle[0]?.holds).toEqual(expect.arrayContaining(['engine_gfx:gpu0', 'gpu_page_fault']));
    expect(w.cycle[0]?.waits).toBe('dma_fence 1 of gpu0 gfx job 1');
    expect(w.cycle[1]?.waits).toBe('engine_gfx:gpu0 for write');
  });

  it('all-dma: forward progress sees the dma_fence held up by page-fault handling', () => {
    const r = exec(allDmaFences, seedScenario, {
      config: oneVramPage,
      invariants: [dmaFenceForwardProgress],
      lockdep: false,
    });
    expect(r.violation?.invariant).toBe('dma-fence-forward-progress');
    expect(r.violation && problemWords(r.violation).message).toMatch(/handling a GPU page fault/);
  });

  it('all-dma: lockdep alone sees the dma_fence signalling path depend on page-fault handling', () => {
    const r = exec(allDmaFences, seedScenario, { config: oneVramPage, invariants: [] });
    expect(r.violation?.invariant).toBe('no-potential-deadlock');
    expect(r.violation && problemWords(r.violation).actual).toMatch(/^dma_fence_map -> mmap_lock/);
  });
});

describe('svmcheck with the fence policies', () => {
  it('drivers --json lists the policies with the invariant class each is expected to break', async () => {
    const { code, out } = await cli('drivers', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as Array<{ name: string; broken: boolean; expects: string | null }>;
    expect(list.filter((d) => d.name.startsWith('fence-')).map((d) => [d.name, d.expects])).toEqual([
      ['fence-reference', null],
      ['fence-all-dma', 'fence'],
      ['fence-notifier-waits-hmm', 'fence'],
      ['fence-signal-alloc', 'fence'],
      ['fence-resv-inversion', 'deadlock'],
      ['fence-late-hmm-wait', 'fence'],
    ]);
  });

  it("run uses the policy's suite and prints lockdep's unsafe locking scenario for the inversion", async () => {
    const { code, out } = await cli(
      'run',
      '--driver',
      'fence-resv-inversion',
      '--seed',
      '1',
      '--runs',
      '2000',
    );
    expect(code).toBe(1);
    expect(out).toMatch(/suite 'fences'/);
    expect(out).toMatch(/Dependency chain[^]*Possible unsafe locking scenario:[^]*\*\*\* DEADLOCK \*\*\*/);
  });
});
