// The page a GPU's PTE reaches for a pfn hmm_range_fault returned, as svm_range_map_to_gpu picks
// the PTE kind: system memory, local VRAM, or a peer's VRAM over XGMI (seed 004's mixed mappings).
import type { State } from '../../model/types.js';
import type { SvmRange } from './svmState.js';

/** The page `gpu` reaches for `page`, or -1 when it cannot reach it (another hive's VRAM). */
export function svmMapTarget(s: State, r: SvmRange, gpu: number, page: number, legacy: boolean): number {
  const h = s.phys[page]?.gpu ?? -1;
  if (legacy) {
    // One PTE kind for the whole range, from actual_loc: a page elsewhere is reached at the wrong address.
    const dom = r.actual - 1;
    if (dom >= 0 && h !== dom) return (s.vramBase[dom] ?? 0) + (page % (s.cfg.gpus[dom]?.vram ?? 1));
    if (dom < 0 && h >= 0) return page % s.cfg.sysPages;
    return page;
  }
  if (h < 0 || h === gpu) return page;
  return s.cfg.gpus[h]?.hive === s.cfg.gpus[gpu]?.hive ? page : -1;
}
