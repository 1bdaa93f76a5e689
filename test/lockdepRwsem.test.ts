// lockdep's rule for rw_semaphore readers: they are not recursive (rwsem_acquire_read passes
// read = 1; check_deadlock() lets only read = 2, rwlock_t's recursive readers, nest). A task taking
// an rwsem for read that it already holds for read is "possible recursive locking detected" even
// when no writer is around; with a writer queued between the two acquisitions the second one
// waits behind the writer, which waits for the first: the deadlock lockdep predicted.
import { describe, expect, it } from 'vitest';
import { potentialDeadlock } from '../check/potentialDeadlock.js';
import { mirror } from '../drivers/mirror.js';
import { initialState, procTable, spawn } from '../model/engine.js';
import { DEFAULT_CONFIG } from '../model/config.js';
import { lockFree, mmapLock, tryLock } from '../model/locks.js';
import type { Env } from '../model/proc.js';
import { problemWords } from '../report/problemWords.js';

function envWith(): Env {
  const s = initialState(DEFAULT_CONFIG, mirror);
  return {
    s,
    act: spawn(s, 'cpu0', 0, 'run_op', {}),
    events: [],
    stats: new Map(),
    faults: [],
    procs: procTable(mirror),
    drv: mirror,
    lockEdges: new Map(),
    step: 0,
  };
}

describe('lockdep and rw_semaphore read recursion', () => {
  it('down_read twice by one task is recursive locking, reported before anything deadlocks', () => {
    const env = envWith();
    expect(tryLock(env, mmapLock(0), 'r')).toBe(true);
    expect(potentialDeadlock(env.lockEdges, 0, 0)).toBeNull();
    expect(tryLock(env, mmapLock(0), 'r')).toBe(true);
    const p = potentialDeadlock(env.lockEdges, 0, 1);
    expect(p?.invariant).toBe('no-potential-deadlock');
    expect(p && problemWords(p).message).toContain('possible recursive locking detected');
  });

  it('two readers in different tasks, or a trylock, record nothing', () => {
    const env = envWith();
    expect(tryLock(env, mmapLock(0), 'r')).toBe(true);
    env.act = spawn(env.s, 'cpu1', 1, 'run_op', {});
    expect(tryLock(env, mmapLock(0), 'r')).toBe(true);
    expect(tryLock(env, mmapLock(0), 'r', { trylock: true })).toBe(true);
    expect(potentialDeadlock(env.lockEdges, 0, 0)).toBeNull();
  });

  it('with a writer queued, the second down_read waits: the deadlock lockdep predicted', () => {
    const env = envWith();
    const first = env.act;
    expect(tryLock(env, mmapLock(0), 'r')).toBe(true);
    env.act = spawn(env.s, 'cpu1', 1, 'run_op', {});
    // The writer finds the lock read-held and queues (a blocked activity waiting for write).
    expect(tryLock(env, mmapLock(0), 'w')).toBe(false);
    env.act.wait = { k: 'lock', name: mmapLock(0), mode: 'w' };
    env.act = first;
    expect(lockFree(env.s, mmapLock(0), 'r')).toBe(false);
  });
});
