// GPU page tables, as drivers program them. The hardware side (what an access reaches) lives in
// kernel/gpu_access.ts; this is the driver-facing API.
import { emit, type Env } from './proc.js';
import type { GpuPte } from './types.js';
import { GPU, mut } from './touched.js';

export function gpuPte(env: Env, gpu: number, pid: number, vpn: number): GpuPte {
  return env.s.gpuPt[gpu]?.[pid]?.[vpn] ?? null;
}

/** Maps a page; `atomic` false clears the entry's atomic-enable bit (atomic accesses then fault). */
export function gpuMap(
  env: Env,
  gpu: number,
  pid: number,
  vpn: number,
  page: number,
  w: boolean,
  atomic = true,
): void {
  const t = env.s.gpuPt[gpu]?.[pid];
  if (!t || vpn < 0 || vpn >= t.length)
    throw new Error(`gpu_map: no page table gpu${gpu} pid ${pid} vpn ${vpn}`);
  mut(GPU, t)[vpn] = atomic ? { page, w } : { page, w, noAtomic: true };
  emit(env, { e: 'gpu-map', gpu, pid, vpn, page, w });
}

/** Clears the GPU's PTEs in [start, end) (with the TLB flush that goes with it) and returns how many were valid. */
export function gpuZap(env: Env, gpu: number, pid: number, start: number, end: number): number {
  const t = env.s.gpuPt[gpu]?.[pid];
  if (!t) return 0;
  let n = 0;
  // Only valid entries are written: zapping an empty range (most invalidations) leaves it untouched.
  for (let v = Math.max(0, start); v < Math.min(end, t.length); v++)
    if (t[v]) {
      n++;
      mut(GPU, t)[v] = null;
    }
  if (n > 0) emit(env, { e: 'gpu-zap', gpu, pid, start, end, n });
  return n;
}
