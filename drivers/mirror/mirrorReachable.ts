// Whether a GPU can reach a page: system memory, its own VRAM, or VRAM of a GPU in its hive (XGMI).
import type { State } from '../../model/types.js';

export function mirrorReachable(s: State, gpu: number, page: number): boolean {
  const h = s.phys[page]?.gpu ?? -1;
  return h < 0 || h === gpu || s.cfg.gpus[h]?.hive === s.cfg.gpus[gpu]?.hive;
}
