// The fence policy driver's bookkeeping and names: one whole-address-space mmu_interval_notifier
// per (GPU, process), as lib/test_hmm.c's mirror keeps, and the locks its paths take.
import { notifierInsert } from '../../model/notifier.js';
import type { State } from '../../model/types.js';
import { instanceName } from '../../model/instanceName.js';
import { driverState, driverStateView } from '../../model/touched.js';

export interface FenceDriverState {
  nids: Record<string, number>;
  /** Processes whose exit has started the release of their buffers. */
  exiting: number[];
}

const procKey = (gpu: number, pid: number): string => `${gpu}:${pid}`;

/** Counter of the process's submission ioctls in progress: each holds the DRM file open. */
export const submitsInFlight = instanceName('fence_submits_in_flight');

/** The driver's notifier lock of a GPU (amdgpu's notifier_lock; kfd's prange->lock): serializes mirror updates with invalidations. */
export const notifierLock = (gpu: number): string => `notifier_lock:gpu${gpu}`;

export function mirrorNotifier(s: State, gpu: number, pid: number): number {
  const key = procKey(gpu, pid);
  // Read without a mark: every submission asks, and only the first of a process registers.
  let id = driverStateView<FenceDriverState>(s).nids[key];
  if (id === undefined || !s.notifiers[id]?.alive) {
    id = notifierInsert(s, pid, 0, s.cfg.vaPages, gpu);
    driverState<FenceDriverState>(s).nids[key] = id;
  }
  return id;
}

export function freeVramPages(s: State, gpu: number): number {
  const base = s.vramBase[gpu] ?? 0;
  const n = s.cfg.gpus[gpu]?.vram ?? 0;
  let free = 0;
  for (let i = base; i < base + n; i++) if (s.phys[i]?.free) free++;
  return free;
}

/** A GPU reaches system memory, its own VRAM and the VRAM of GPUs in its hive. */
export function reachable(s: State, gpu: number, page: number): boolean {
  const h = s.phys[page]?.gpu ?? -1;
  return h < 0 || h === gpu || s.cfg.gpus[h]?.hive === s.cfg.gpus[gpu]?.hive;
}
