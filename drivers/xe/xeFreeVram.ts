// The free VRAM pages of a device: what a new BO of that size needs (TTM's view of the VRAM
// manager; the model has no reservation apart from the pages themselves).
import type { State } from '../../model/types.js';

export function xeFreeVram(s: State, gpu: number): number {
  const base = s.vramBase[gpu] ?? 0;
  let n = 0;
  for (let p = base; p < base + (s.cfg.gpus[gpu]?.vram ?? 0); p++) if (s.phys[p]?.free) n++;
  return n;
}
