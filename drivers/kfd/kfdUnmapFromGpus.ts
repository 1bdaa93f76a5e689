// svm_range_unmap_from_gpus (kfd_svm.c at 006ad514a50c).
import { gpuZap } from '../../model/gpu.js';
import type { Env } from '../../model/proc.js';
import type { SvmRange } from '../svm/svmState.js';
import { mappedToGpu } from './kfdState.js';

/**
 * kfdUnmapFromGpus - svm_range_unmap_from_gpus(): clear [start, last] of the range from the page
 * tables of the GPUs in its bitmap_access | bitmap_aip. A range not mapped_to_gpu is skipped, and a
 * GPU that is in neither bitmap now keeps what it has (kfd looks only at the bitmaps; the svm
 * family's unmapFromGpus clears every GPU).
 *
 * Context: the range's lock held (svm_range_lock), as in the notifier callback.
 * Return: nothing; the range's per-page GPU masks follow the page tables.
 */
export function kfdUnmapFromGpus(env: Env, r: SvmRange, start: number, last: number): void {
  if (!mappedToGpu(r)) return;
  const s = env.s;
  const a = Math.max(start, r.start);
  const b = Math.min(last, r.last);
  if (a > b) return;
  const bitmap = r.a.access | r.a.aip;
  for (let g = 0; g < s.cfg.gpus.length; g++) {
    if (!((bitmap >> g) & 1)) continue;
    gpuZap(env, g, r.pid, a, b + 1);
    for (let vpn = a; vpn <= b; vpn++) r.pm[vpn - r.start] = (r.pm[vpn - r.start] ?? 0) & ~(1 << g);
  }
}
