// CPUs and the preemption model (model/cpus.ts): a task polling for per-CPU work on the CPU the work
// is bound to is a soft lockup under PREEMPT_NONE (and VOLUNTARY: cpu_relax() is no might_sleep()),
// and not under PREEMPT_FULL, which preempts the poller. The finding names the CPU in its wait-for
// cycle; the correct driver is clean on the same program under every model.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { execute } from '../check/execute.js';
import { svmFlushBusyWait } from '../drivers/broken/svmFlushBusyWait.js';
import { reference } from '../drivers/reference.js';
import { profileByName } from '../generators/profiles.js';
import { givesUpCpu } from '../model/cpus.js';
import { initialState, spawn } from '../model/engine.js';
import { livelock } from '../check/livelock.js';
import type { Program } from '../model/program.js';
import { pollForDeferredWork } from './pollForDeferredWork.js';
import { witnessText } from '../report/witnessText.js';
import { runFailureWords } from '../report/runFailureWords.js';

const oneCpu = (preempt: 'none' | 'voluntary' | 'full'): Program['config'] =>
  pollForDeferredWork(preempt).config;
const program = pollForDeferredWork;

describe('lockups need the preemption model that allows them', () => {
  it('the rule: NONE keeps the CPU at a might_sleep() point, VOLUNTARY lets go, only FULL preempts a busy loop', () => {
    expect(givesUpCpu('none', 'yield')).toBe(false);
    expect(givesUpCpu('voluntary', 'yield')).toBe(true);
    expect(givesUpCpu('voluntary', 'busy')).toBe(false);
    expect(givesUpCpu('full', 'busy')).toBe(true);
    expect(givesUpCpu('none', 'resched')).toBe(true);
  });

  it('polling for per-CPU work locks the CPU up under PREEMPT_NONE, with the CPU in the wait-for cycle', () => {
    const r = execute(svmFlushBusyWait, program('none'), { trace: true });
    expect(r.violation?.invariant).toBe('no-lockup');
    const w = r.violation?.witness;
    expect(w?.k).toBe('lasso');
    if (w?.k !== 'lasso') return;
    expect(w.cpus?.map((l) => l.agent)).toEqual(['kworker', 'cpu0']);
    expect(w.cpus?.[0]?.waits).toContain('CPU 0');
    const text = witnessText(w).join('\n');
    expect(text).toContain('Lockup: steps');
    expect(text).toContain('Wait-for cycle through the CPUs');
  });

  it('and under PREEMPT_VOLUNTARY (cpu_relax() is no voluntary preemption point)', () => {
    expect(execute(svmFlushBusyWait, program('voluntary')).violation?.invariant).toBe('no-lockup');
  });

  it('the same program under PREEMPT_FULL finishes: the poller is preempted and the work runs', () => {
    const r = execute(svmFlushBusyWait, program('full'));
    expect(r.violation).toBeNull();
    expect(r.undecided).toBe(false);
  });

  it('the reference (flush_work sleeps) is clean under every model', () => {
    for (const m of ['none', 'voluntary', 'full'] as const) {
      const r = execute(reference, program(m));
      expect(r.violation, m).toBeNull();
      expect(r.undecided, m).toBe(false);
    }
  });

  it('random search on the cpus suite finds the lockup, and its counterexample is a NONE or VOLUNTARY machine', () => {
    const profile = profileByName('cpus');
    if (!profile) throw new Error('no cpus suite');
    const rep = checkDriver(svmFlushBusyWait, profile, { runs: 5000, seed: 5 });
    expect(rep.failure?.violation.invariant).toBe('no-lockup');
    expect(rep.failure?.program.config.preempt).not.toBe('full');
    expect(rep.failure?.program.ops.length).toBeLessThanOrEqual(8);
  });
});

describe('a lockup of work that may run on any CPU', () => {
  it('names every CPU and the task keeping it, not only CPU 0', () => {
    const s = initialState({ ...oneCpu('none'), cpus: 2 }, reference);
    // Two tasks keep the two CPUs (a busy loop each); a third, bound to none, is runnable.
    const a = spawn(s, 'cpu0', 0, 'run_op', {});
    const b = spawn(s, 'cpu1', 1, 'run_op', {});
    spawn(s, 'cpu2', 2, 'run_op', {});
    a.cpu = 0;
    b.cpu = 1;
    const p = livelock(s, 0, 3);
    if (p.kind !== 'lockup') throw new Error(`not a lockup: ${p.kind}`);
    expect(p.witness.cpus.map((l) => [l.agent, l.onAgents])).toEqual([
      ['cpu2', ['cpu0', 'cpu1']],
      ['cpu0', []],
      ['cpu1', []],
    ]);
    expect(p).toMatchObject({ preempt: 'none', cpus: 2 });
    expect(p).not.toHaveProperty('actual');
    const words = runFailureWords(p);
    expect(words.actual).toContain('cpu2 waits for a CPU (all 2 kept) (kept by cpu0, cpu1)');
    expect(words.message).toBe(
      'soft lockup (PREEMPT_NONE, 2 CPUs): cpu2, cpu0, cpu1 never get their CPU back',
    );
  });
});
