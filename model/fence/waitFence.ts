// dma_fence_wait() in two halves: the annotation (__dma_fence_might_wait: a lockdep dependency on
// the fence's map from everything held, and an observation the fence rules check, whether or not
// the fence has signalled) and the sleep (block until it signals).
import { recordDependency } from '../lockdep/recordDependency.js';
import { fenceMap } from '../lockdep/pseudoLocks.js';
import { block, emit, type Env, type StepResult } from '../proc.js';
import type { State } from '../types.js';
import { fenceName } from './fenceName.js';
import type { WaitPurpose } from './types.js';

/** Annotates a wait on the fence; returns whether it was still unsignalled (a real wait follows). */
export function waitFence(env: Env, id: number, purpose: WaitPurpose, why: string): boolean {
  const f = env.s.sync.fences[id];
  if (!f) throw new Error(`dma_fence_wait: no fence ${id}`);
  recordDependency(env, fenceMap(f.kind), 'wait', fenceName(env.s, id));
  emit(env, {
    e: 'fence-wait',
    fence: id,
    kind: f.kind,
    signaled: f.signaled,
    purpose,
    why,
    held: [...env.act.held],
  });
  return !f.signaled;
}

/** The sleep half: a block until the fence signals, or null when it has. */
export function fenceBlock(s: State, id: number): StepResult | null {
  return s.sync.fences[id]?.signaled === false ? block({ k: 'fence', id }) : null;
}
