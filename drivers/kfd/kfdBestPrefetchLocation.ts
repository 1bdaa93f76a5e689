// svm_range_best_prefetch_location (kfd_svm.c at 006ad514a50c).
import type { State } from '../../model/types.js';
import { LOC_SYSMEM, LOC_UNDEFINED } from '../../model/uapi.js';
import type { SvmRange } from '../svm/svmState.js';

/**
 * kfdBestPrefetchLocation - svm_range_best_prefetch_location(): the prefetch location, unless a GPU
 * that must map the range is outside the prefetch GPU's XGMI hive: then system memory. The GPUs
 * looked at are the access-in-place ones with XNACK on (the others fault and migrate), and every
 * GPU with access or access in place with XNACK off (they are all mapped up front).
 *
 * Context: svms->lock held.
 * Return: LOC_UNDEFINED, LOC_SYSMEM, or g + 1 for GPU g.
 */
export function kfdBestPrefetchLocation(s: State, r: Readonly<SvmRange>): number {
  const loc = r.a.prefetch;
  if (loc === LOC_UNDEFINED || loc === LOC_SYSMEM) return loc;
  const bitmap = s.cfg.xnack === 'off' ? r.a.access | r.a.aip : r.a.aip;
  const hive = s.cfg.gpus[loc - 1]?.hive;
  for (let g = 0; g < s.cfg.gpus.length; g++)
    if ((bitmap >> g) & 1 && g !== loc - 1 && s.cfg.gpus[g]?.hive !== hive) return LOC_SYSMEM;
  return loc;
}
