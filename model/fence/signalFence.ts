// dma_fence_signal(): the fence completes and every waiter can run again.
import { count, emit, type Env } from '../proc.js';
import { SYNC, mut } from '../touched.js';

export function signalFence(env: Env, id: number): void {
  const f = env.s.sync.fences[id];
  if (!f) throw new Error(`dma_fence_signal: no fence ${id}`);
  if (f.signaled) throw new Error(`dma_fence_signal: fence ${id} signalled twice`);
  mut(SYNC, f).signaled = true;
  emit(env, { e: 'fence-signal', fence: id, kind: f.kind, job: f.job });
  if (f.kind === 'dma' && f.ready >= 0) {
    count(env, 'dma_fence signalled');
    count(env, 'dma_fence steps from runnable to signalled', env.step - f.ready);
  }
}
