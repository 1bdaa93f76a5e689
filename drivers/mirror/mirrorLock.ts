// The mirror driver's per-GPU lock (dmirror's mutex): its fault handler commits GPU PTEs and its
// invalidate callback zaps them under it, which is what makes mmu_interval_read_retry() sound.
export const mirrorLock = (gpu: number): string => `driver_mutex:gpu${gpu}`;
