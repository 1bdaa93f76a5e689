// Kernel-style names for fences and jobs, shared by events, the deadlock report and invariants.
import type { State } from '../types.js';

export function jobName(s: State, id: number): string {
  const j = s.sync.jobs[id];
  if (!j) return `job ${id}?`;
  return `gpu${j.gpu} ${j.engine}${j.reserved ? ' (reserved)' : ''} job ${id}`;
}

export function fenceName(s: State, id: number): string {
  const f = s.sync.fences[id];
  if (!f) return `fence ${id}?`;
  return `${f.kind === 'dma' ? 'dma_fence' : 'hmm_fence'} ${id} of ${jobName(s, f.job)}`;
}
