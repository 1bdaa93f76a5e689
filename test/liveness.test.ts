// Liveness is a fair lasso, not a step bound: a driver that is live under a fair scheduler passes
// even on a schedule that starves its kworker for a while, a real livelock fails with a loop that
// the report prints once and marks as repeating forever, and shrinking keeps which activity runs.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { selfcheck } from '../check/selfcheck.js';
import { execute } from '../check/execute.js';
import { FairChoice, STARVATION_STEPS } from '../check/FairChoice.js';
import { keepPick } from '../check/minimize.js';
import { SPAWNED_ORDER } from '../check/execute.js';
import { formatFailureText } from '../report/text.js';
import { mirrorStaleSeqRetry } from '../drivers/broken/mirrorStaleSeqRetry.js';
import { reference } from '../drivers/reference.js';
import { mirror } from '../drivers/mirror.js';
import { profileByName } from '../generators/profiles.js';
import type { Program } from '../model/program.js';

const oneVram = {
  vaPages: 8,
  sysPages: 40,
  maxProcs: 3,
  gpus: [{ mem: 'private' as const, vram: 1, hive: 0 }],
};

// Issue 17's forward-progress case: GPU write, munmap, GPU read of the unmapped page. The retry
// fault is dropped while the deferred worker drains; 500 schedule entries of 0 keep picking the GPU.
const starvedDrain: Program = {
  config: oneVram,
  ops: [
    { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
    { op: 'mmap', on: 0, proc: 0, pages: 1, prot: 'rw', shared: false },
    { op: 'gpu_write', gpu: 0, proc: 0, vma: 0, off: 0 },
    { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
  ],
  schedule: Array.from({ length: 500 }, () => 0),
  faults: [],
};

describe('liveness under a fair scheduler', () => {
  it('a kworker starved by a finite unfair schedule runs once the schedule is used up: no livelock', () => {
    const r = execute(reference, starvedDrain, { trace: true });
    expect(r.violation).toBeNull();
    expect(r.undecided).toBe(false);
    expect(r.trace.some((t) => t.agent === 'kworker')).toBe(true);
  });

  it('the same program with no schedule at all finishes in a few dozen steps', () => {
    const r = execute(reference, { ...starvedDrain, schedule: [] });
    expect(r.violation).toBeNull();
    expect(r.steps).toBeLessThan(100);
  });

  it('the fair choice runs a candidate passed over for STARVATION_STEPS steps', () => {
    const f = new FairChoice();
    const picks: number[] = [];
    // Two candidates; the plain policy always wants the first.
    for (let n = 0; n < 3 * STARVATION_STEPS; n++) picks.push(f.choose([10, 20], 2, n, 0));
    const second = picks.map((p, n) => (p === 1 ? n : -1)).filter((n) => n >= 0);
    expect(second.length).toBeGreaterThanOrEqual(2);
    expect(second[0]).toBe(STARVATION_STEPS);
    for (let i = 1; i < second.length; i++)
      expect((second[i] as number) - (second[i - 1] as number)).toBeLessThanOrEqual(STARVATION_STEPS + 1);
  });

  it('a candidate that stopped being runnable starts counting afresh', () => {
    const f = new FairChoice();
    for (let n = 0; n < STARVATION_STEPS - 2; n++) expect(f.choose([10, 20], 2, n, 0)).toBe(0);
    // 20 is not runnable for one step, then is again: its wait starts over.
    expect(f.choose([10], 1, STARVATION_STEPS - 2, 0)).toBe(0);
    for (let n = STARVATION_STEPS - 1; n < 2 * STARVATION_STEPS - 1; n++)
      expect(f.choose([10, 20], 2, n, 0)).toBe(0);
    expect(f.choose([10, 20], 2, 2 * STARVATION_STEPS - 1, 0)).toBe(1);
  });
});

describe('a real livelock is a lasso', () => {
  const found = checkDriver(mirrorStaleSeqRetry, profileByName('mirror') ?? profileByName('default')!, {
    runs: 5000,
    seed: 1,
  });
  const cx = found.failure;

  it('mirror-stale-seq-retry (retrying -EBUSY with its old sequence) fails forward-progress with a lasso', () => {
    expect(cx?.violation.invariant).toBe('forward-progress');
    expect(cx?.violation.witness?.k).toBe('lasso');
    expect(cx?.program.ops.length).toBeLessThanOrEqual(8);
  });

  it('replays to the same loop, and the loop is its first turn: the state after it equals the state before it', () => {
    if (!cx) throw new Error('no counterexample');
    const r = execute(mirrorStaleSeqRetry, cx.program, { trace: true });
    expect(r.violation).toEqual(cx.violation);
    const w = r.violation?.witness;
    if (w?.k !== 'lasso') throw new Error('no lasso witness');
    // Steps are numbered from 1 in reports; the trace ends with the loop's last step.
    expect(r.trace.length).toBe(w.to);
    expect(w.from).toBeLessThanOrEqual(w.to);
  });

  it('the text report prints the loop once, marked as repeating forever, and stays short', () => {
    if (!cx) throw new Error('no counterexample');
    const text = formatFailureText(found, 'npx svmcheck run ...');
    expect(text.match(/repeat forever ---/g)).toHaveLength(1);
    expect(text.length).toBeLessThan(20_000);
  });

  it('a correct mirror is not a livelock on the same programs', () => {
    if (!cx) throw new Error('no counterexample');
    const r = execute(mirror, cx.program);
    expect(r.violation).toBeNull();
    expect(r.undecided).toBe(false);
  });
});

describe('shrinking keeps which activity runs', () => {
  it('kernel work in the trace (op -1) picks a spawned candidate, not the first', () => {
    expect(keepPick([0, 3, SPAWNED_ORDER + 7, SPAWNED_ORDER + 9], -1)).toBe(2);
    expect(keepPick([0, 3, SPAWNED_ORDER + 7], 3)).toBe(1);
    expect(keepPick([0, 3], 5)).toBe(0);
  });
});

describe('the catalog entry for livelocks', () => {
  it('selfcheck catches mirror-stale-seq-retry as progress within 60 s in at most 8 operations', () => {
    const [e] = selfcheck([mirrorStaleSeqRetry], { secondsPerEntry: 60, seeds: 1, referenceRuns: 1 }).entries;
    expect(e?.invariant).toBe('forward-progress');
    expect(e?.expectedClass).toBe(true);
    expect(e?.shrunkOps).toBeLessThanOrEqual(8);
    expect(e?.secondsToDetect[0]).toBeLessThan(60);
  });
});
