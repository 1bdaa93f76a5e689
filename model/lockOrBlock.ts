// The lock-then-block pattern of every step that takes a sleeping lock: try it, and if it is held,
// return a `block` on it so the same step runs again once the lock can be had (nothing may change
// before a step blocks, so the lock is the step's first action).
import { tryLock } from './locks.js';
import { block, type Env, type StepResult } from './proc.js';

/**
 * Takes `name` in `mode` for the current activity (mutex_lock / down_read / down_write), or returns
 * the `block` result the step must return when it cannot: `const b = lockOrBlock(env, L, 'w'); if (b) return b;`.
 */
export function lockOrBlock(env: Env, name: string, mode: 'r' | 'w'): StepResult | null {
  return tryLock(env, name, mode) ? null : block({ k: 'lock', name, mode });
}
