// Sleeping locks held across preemption points (mmap_lock, driver mutexes, page locks). Taking a
// lock records lockdep-style order edges from every lock the activity already holds.
import type { Env } from './proc.js';
import type { LockState, State, Wait } from './types.js';

function lockState(s: State, name: string): LockState {
  let l = s.locks[name];
  if (!l) {
    l = { w: -1, r: [] };
    s.locks[name] = l;
  }
  return l;
}

export function lockFree(s: State, name: string, mode: 'r' | 'w'): boolean {
  const l = s.locks[name];
  if (!l) return true;
  return mode === 'r' ? l.w === -1 : l.w === -1 && l.r.length === 0;
}

export function isLocked(s: State, name: string): boolean {
  return !lockFree(s, name, 'w');
}

const edgeKeys = new Map<string, Map<string, string>>();
/** The lock-order edge key "A -> B", built once per pair (taking a lock must not build strings). */
function edgeKey(held: string, name: string): string {
  let byName = edgeKeys.get(held);
  if (!byName) {
    byName = new Map();
    edgeKeys.set(held, byName);
  }
  let key = byName.get(name);
  if (key === undefined) {
    key = `${held} -> ${name}`;
    byName.set(name, key);
  }
  return key;
}

/** Takes the lock if it is free; false means the caller must block on it. */
export function tryLock(env: Env, name: string, mode: 'r' | 'w'): boolean {
  if (!lockFree(env.s, name, mode)) return false;
  const l = lockState(env.s, name);
  const a = env.act;
  for (const h of a.held) {
    const key = edgeKey(h, name);
    if (!env.lockEdges.has(key)) env.lockEdges.set(key, { step: env.step, agent: a.agent });
  }
  if (mode === 'w') l.w = a.id;
  else l.r.push(a.id);
  a.held.push(name);
  return true;
}

export function unlock(env: Env, name: string): void {
  const l = env.s.locks[name];
  const a = env.act;
  if (!l) throw new Error(`unlock(${name}): lock was never taken`);
  if (l.w === a.id) l.w = -1;
  else {
    const i = l.r.indexOf(a.id);
    if (i < 0) throw new Error(`unlock(${name}): activity ${a.id} does not hold it`);
    l.r.splice(i, 1);
  }
  const j = a.held.lastIndexOf(name);
  if (j >= 0) a.held.splice(j, 1);
  if (l.w === -1 && l.r.length === 0) delete env.s.locks[name];
}

export function waitSatisfied(s: State, w: Wait): boolean {
  switch (w.k) {
    case 'lock':
      return lockFree(s, w.name, w.mode);
    case 'unlocked':
      return !isLocked(s, w.name);
    case 'notifier': {
      const n = s.notifiers[w.id];
      if (!n || !n.alive) return true;
      const p = s.procs[n.pid];
      return !p || n.seq !== p.mmSeq;
    }
  }
}

/** Names by number (locks, agents), built once each: lookups then reuse one string instead of hashing a new one. */
export function lockNames(prefix: string): (n: number) => string {
  const cache: string[] = [];
  return (n) => cache[n] ?? (cache[n] = `${prefix}${n}`);
}

export const mmapLock = lockNames('mmap_lock:');
export const pageLock = lockNames('page_lock:');
