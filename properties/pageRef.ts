// A physical page as data, captured when a finding is made: what report/pageWords.ts needs to name
// it the way a kernel engineer would (system or VRAM, which GPU, the index in its VRAM, freed).
import type { State } from '../model/types.js';

export interface PageRef {
  page: number;
  /** Not a page of State.phys (an index past the end). */
  missing?: true;
  /** -1: system memory. */
  gpu: number;
  /** Index within that GPU's VRAM (the page itself for system memory). */
  idx: number;
  free: boolean;
}

export function pageRef(s: State, page: number): PageRef {
  const p = page > 0 ? s.phys[page] : undefined;
  if (page > 0 && !p) return { page, missing: true, gpu: -1, idx: page, free: false };
  const gpu = p?.gpu ?? -1;
  return { page, gpu, idx: gpu < 0 ? page : page - (s.vramBase[gpu] ?? 0), free: p?.free ?? false };
}
