// The GPUs svm_range_validate_and_map maps when called for MAX_GPU_INSTANCE (kfd_svm.c at 006ad514a50c).
import type { State } from '../../model/types.js';
import { FLAG_GPU_ALWAYS_MAPPED } from '../../model/uapi.js';
import { boById } from '../svm/svmBo.js';
import type { SvmRange } from '../svm/svmState.js';
import { mappedToGpu } from './kfdState.js';

/**
 * kfdMapBitmap - ctx->bitmap of svm_range_validate_and_map() with gpuidx == MAX_GPU_INSTANCE. XNACK
 * off: every GPU with access or access in place. XNACK on: the in-place GPUs, the GPU whose VRAM
 * holds the range (prange->actual_loc: the GPU of its VRAM node here) if it has access, and when
 * that is none, every GPU with access if the range is mapped or GPU_ALWAYS_MAPPED.
 *
 * Context: svms->lock held.
 * Return: the GPU bitmap.
 */
export function kfdMapBitmap(s: State, r: Readonly<SvmRange>): number {
  if (s.cfg.xnack === 'off') return r.a.access | r.a.aip;
  let bitmap = r.a.aip;
  const bo = r.node ? boById(s, r.node.bo) : undefined;
  if (bo && (r.a.access >> bo.gpu) & 1) bitmap |= 1 << bo.gpu;
  if (bitmap === 0 && (mappedToGpu(r) || r.a.flags & FLAG_GPU_ALWAYS_MAPPED)) bitmap = r.a.access;
  return bitmap;
}
