// mm_users (model/mmUsers.ts): a driver's mmget keeps the mm past the task's exit, the last mmput
// tears it down (exit_mmap), and a kworker that takes mmap_lock of a torn-down mm is reported as a
// use-after-free (driver-object-lifetime).
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import { initialState, procTable, spawn, stepActivity } from '../model/engine.js';
import { KernelBug } from '../model/kernelBug.js';
import { mmapLock, tryLock, unlock } from '../model/locks.js';
import { mmget, mmgetNotZero, mmput, mmputAsync, taskAlive } from '../model/mmUsers.js';
import { defineProc, ret, type Env } from '../model/proc.js';
import { runProc } from '../model/runProc.js';
import type { Op } from '../model/ops.js';
import type { Activity, State } from '../model/types.js';
import { eventsOf, mmap, oneGpu, run } from './helpers.js';

const putOnce = defineProc<{ pid: number; async: boolean }>('put_once', {
  start(env, l) {
    if (!l.async) return mmput(env, l.pid, 'done');
    mmputAsync(env, l.pid);
    return ret(0);
  },
  done() {
    return ret(0);
  },
});

function envFor(s: State): Env {
  const procs = new Map(procTable(reference));
  procs.set(putOnce.name, putOnce);
  return {
    s,
    act: null as unknown as Activity,
    events: [],
    stats: new Map(),
    faults: [],
    procs,
    drv: reference,
    lockEdges: new Map(),
    step: 0,
  };
}

/** A process with one 2-page VMA, both pages touched, and one driver reference on its mm. */
function pinnedProcess(): Env {
  const env = envFor(initialState(oneGpu, reference));
  runProc(env, 'sys_mmap', { pid: 0, pages: 2, prot: 'rw', shared: false });
  runProc(env, 'cpu_access', { pid: 0, vpn: 0, write: true });
  mmget(env.s, 0);
  return env;
}

const proc0 = (env: Env) => {
  const p = env.s.procs[0];
  if (!p) throw new Error('no pid 0');
  return p;
};

describe('mm_users', () => {
  it('without a driver reference, exit tears the mm down at once (as before mm_users)', () => {
    const env = envFor(initialState(oneGpu, reference));
    runProc(env, 'sys_mmap', { pid: 0, pages: 2, prot: 'rw', shared: false });
    runProc(env, 'sys_exit', { pid: 0 });
    expect(proc0(env)).toMatchObject({ alive: false, vmas: [] });
    expect(proc0(env).exited).toBeUndefined();
    expect(mmgetNotZero(env.s, 0)).toBe(false);
  });

  it('a pinned mm outlives its task: VMAs, ptes and mmap_lock stay valid', () => {
    const env = pinnedProcess();
    runProc(env, 'sys_exit', { pid: 0 });
    const p = proc0(env);
    expect(taskAlive(env.s, 0)).toBe(false);
    expect(p).toMatchObject({ alive: true, exited: true, mmRefs: 1 });
    expect(p.vmas).toHaveLength(1);
    expect(p.pt[0]).not.toBeNull();
    // mm_users is still 1: mmget_not_zero succeeds; the task's threads touch nothing any more.
    expect(mmgetNotZero(env.s, 0)).toBe(true);
    expect(proc0(env).mmRefs).toBe(2);
    // A second exit of the same process finds the task gone.
    runProc(env, 'sys_exit', { pid: 0 });
    expect(env.events.filter((e) => e.e === 'syscall').at(-1)).toMatchObject({ op: 'exit', err: 'ESRCH' });
  });

  it('the last mmput runs exit_mmap in the caller: the mm is torn down', () => {
    const env = pinnedProcess();
    runProc(env, 'sys_exit', { pid: 0 });
    runProc(env, 'put_once', { pid: 0, async: false });
    expect(proc0(env)).toMatchObject({ alive: false, vmas: [] });
    expect(proc0(env).mmRefs).toBeUndefined();
    expect(proc0(env).pt.every((e) => e === null)).toBe(true);
  });

  it('an mmput that is not the last leaves the mm alone', () => {
    const env = pinnedProcess();
    runProc(env, 'put_once', { pid: 0, async: false });
    expect(proc0(env)).toMatchObject({ alive: true });
    expect(proc0(env).mmRefs).toBeUndefined();
    expect(taskAlive(env.s, 0)).toBe(true);
  });

  it('the last mmput_async leaves exit_mmap to a kworker', () => {
    const env = pinnedProcess();
    runProc(env, 'sys_exit', { pid: 0 });
    runProc(env, 'put_once', { pid: 0, async: true });
    // mm_users is 0 now, the teardown pending: no new reference can be had.
    expect(proc0(env)).toMatchObject({ alive: true, exiting: true });
    expect(mmgetNotZero(env.s, 0)).toBe(false);
    const worker = env.s.acts.find((a) => a.agent === 'kworker');
    if (!worker) throw new Error('no exit_mmap kworker');
    expect(worker.frames[0]?.fn).toBe('exit_mmap');
    env.act = worker;
    for (let n = 0; n < 100 && stepActivity(env, worker) !== 'done'; n++);
    expect(proc0(env)).toMatchObject({ alive: false, vmas: [] });
  });

  it('mmput without a reference is an mm_users underflow', () => {
    const env = envFor(initialState(oneGpu, reference));
    let thrown: unknown;
    try {
      runProc(env, 'put_once', { pid: 0, async: false });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(KernelBug);
    expect((thrown as KernelBug).finding).toEqual({
      code: 'mm-users-underflow',
      at: { pid: 0 },
      data: { fn: 'mmput', pid: 0 },
    });
  });
});

describe('driver-object-lifetime: the mm after its last mmput', () => {
  function tornDown(): Env {
    const env = envFor(initialState(oneGpu, reference));
    runProc(env, 'sys_mmap', { pid: 0, pages: 1, prot: 'rw', shared: false });
    runProc(env, 'sys_exit', { pid: 0 });
    return env;
  }

  it('a kworker taking mmap_lock of a torn-down mm is a use-after-free', () => {
    const env = tornDown();
    env.act = spawn(env.s, 'kworker', -1, 'drv:deferred_work', {});
    let thrown: unknown;
    try {
      tryLock(env, mmapLock(0), 'w');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(KernelBug);
    expect(thrown).toMatchObject({ invariant: 'driver-object-lifetime', cls: 'memory-safety' });
    expect((thrown as KernelBug).finding).toEqual({
      code: 'mm-lock-after-exit',
      at: { pid: 0 },
      data: { fn: 'drv:deferred_work', pid: 0 },
    });
  });

  it('the same kworker on a live mm, pinned past its task, is fine', () => {
    const env = pinnedProcess();
    runProc(env, 'sys_exit', { pid: 0 });
    env.act = spawn(env.s, 'kworker', -1, 'drv:deferred_work', {});
    expect(tryLock(env, mmapLock(0), 'w')).toBe(true);
    unlock(env, mmapLock(0));
  });

  it('mmget on a torn-down mm is a use-after-free', () => {
    const env = tornDown();
    expect(() => mmget(env.s, 0)).toThrow(KernelBug);
  });

  // mmap, set_attr, munmap (the range queued for the deferred worker), a GPU fault holding the
  // worker back, exit before the worker runs: the schedule svm-deferred-unpinned-mm fails on.
  const ops: Op[] = [
    mmap(1),
    { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 1, attrs: [{ t: 'access', v: 0 }] },
    { op: 'munmap', on: 0, proc: 0, vma: 0, off: 0, len: 1 },
    { op: 'gpu_read', gpu: 0, proc: 0, vma: 0, off: 0 },
    { op: 'exit', on: 0, proc: 0 },
  ];
  const config = { ...oneGpu, gpus: [{ mem: 'private' as const, vram: 1, hive: 0 }] };
  const schedule = [0, 1, 0, 0, 2];

  it('the reference pins the mm for its deferred work: exit leaves the teardown to the worker', () => {
    const r = run(ops, { config, driver: reference, schedule });
    expect(r.violation).toBeNull();
    const exit = eventsOf(r, 'syscall').find((e) => e.op === 'exit');
    expect(exit?.detail).toMatch(/mm pinned by 1 reference/);
    expect(r.state.procs[0]?.alive).toBe(false);
  });

  it('svm-deferred-unpinned-mm (no mmget in add_list_work) takes the freed mm on the same program', () => {
    const d = builtinDriver('svm-deferred-unpinned-mm');
    if (!d) throw new Error('svm-deferred-unpinned-mm');
    expect(run(ops, { config, driver: d, schedule }).violation).toMatchObject({
      invariant: 'driver-object-lifetime',
      cls: 'memory-safety',
    });
  });
});
