// What a throw out of a step means (check/stepFailure.ts): a predicted kernel failure is a finding,
// a path the model does not cover leaves the verdict unknown, and anything else is svmcheck's own
// error, thrown out of checkDriver without shrinking and never reported as a kernel bug.
import { describe, expect, it } from 'vitest';
import { checkDriver } from '../check/checkDriver.js';
import { stepFailure, ToolError } from '../check/stepFailure.js';
import { mirror } from '../drivers/mirror.js';
import { profileByName } from '../generators/profiles.js';
import { KernelBug } from '../model/kernelBug.js';
import { KernelOops } from '../model/kernelOops.js';
import { ThpNotModelled } from '../model/kernel/thp.js';
import { defineProc } from '../model/proc.js';
import type { Driver } from '../model/driver.js';
import { problemWords } from '../report/problemWords.js';

describe('stepFailure', () => {
  it('a KernelBug is its invariant, with the invariant meaning as what was expected', () => {
    const f = stepFailure(new KernelBug('bo-refcount', 'refcount', 'kref_put twice'), 'gpu0', 4);
    expect(f.k).toBe('problem');
    if (f.k !== 'problem') return;
    expect(f.problem.invariant).toBe('bo-refcount');
    expect(f.problem.step).toBe(4);
    expect(problemWords(f.problem).expected).not.toMatch(/refcount underflow/);
  });

  it('a KernelOops is a kernel-oops finding; a hang says so', () => {
    const oops = stepFailure(new KernelOops('oops', 'put_page(3) on a free page'), 'cpu0', 1);
    const hang = stepFailure(new KernelOops('hang', 'soft lockup'), 'cpu0', 1);
    expect(oops.k === 'problem' && oops.problem.invariant).toBe('kernel-oops');
    expect(hang.k === 'problem' && problemWords(hang.problem).message).toMatch(/^task hung in cpu0/);
  });

  it('ThpNotModelled leaves the verdict unknown', () => {
    expect(stepFailure(new ThpNotModelled('huge zero page'), 'cpu0', 1)).toEqual({
      k: 'not-modelled',
      message: 'huge zero page',
    });
  });

  it('anything else is a ToolError, never a finding', () => {
    expect(() => stepFailure(new Error("no procedure 'drv:x'"), 'gpu0', 2)).toThrow(ToolError);
    expect(() => stepFailure(new TypeError('x is undefined'), 'gpu0', 2)).toThrow(/internal error at step 3/);
  });

  it('checkDriver throws a driver bug in JavaScript out as a ToolError with its program, not a counterexample', () => {
    const throwing = defineProc<Record<string, never>>('gpu_fault', {
      start() {
        throw new TypeError('this is not a kernel behaviour');
      },
    });
    const d: Driver = { ...mirror, name: 'throws', procs: { ...mirror.procs, gpu_fault: throwing } };
    let caught: unknown = null;
    try {
      checkDriver(d, profileByName('mirror')!, { runs: 200, seed: 1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ToolError);
    expect((caught as ToolError).program).toBeDefined();
    expect((caught as ToolError).cause).toBeInstanceOf(TypeError);
  });
});
