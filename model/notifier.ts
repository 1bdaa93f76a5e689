// mmu_interval_notifier: the sequence-number protocol between invalidations and mirror updates
// (mm/mmu_notifier.c). The mm's invalidate_seq is odd while an invalidation runs; a driver copies
// it into its interval with mmu_interval_set_seq() from the invalidate callback, and
// mmu_interval_read_retry() compares that against what mmu_interval_read_begin() returned.
import type { Env } from './proc.js';
import type { State } from './types.js';
import { MM, NOTIFIERS, mut } from './touched.js';
import { KernelOops } from './kernelOops.js';
import { KernelBug } from './kernelBug.js';

export function notifierInsert(s: State, pid: number, start: number, end: number, tag: number): number {
  const p = s.procs[pid];
  if (!p) throw new Error(`mmu_interval_notifier_insert: no process ${pid}`);
  const id = s.notifiers.length;
  // While idle the interval holds an odd value different from the (even) mm sequence.
  const seq = p.mmActive > 0 ? p.mmSeq : p.mmSeq - 1;
  mut(NOTIFIERS, s.notifiers).push({ id, pid, start, end, seq, tag, alive: true });
  return id;
}

/**
 * KASAN for interval notifiers: the struct (embedded in the driver's range or mirror) may be freed
 * once mmu_interval_notifier_remove() returned, so any later use is a use-after-free, reported at
 * the access as KASAN would (the driver-object-lifetime invariant, properties/).
 */
function checkLive(s: State, id: number, by: string): void {
  const n = s.notifiers[id];
  // exit (sys_exit) drops a dead process's notifiers itself, standing in for the mm's teardown;
  // the drivers' interval notifiers stay valid memory until the driver removes them.
  if (n?.alive === false && s.procs[n.pid]?.alive === true)
    throw new KernelBug('driver-object-lifetime', 'memory-safety', {
      code: 'notifier-after-remove',
      at: { pid: n.pid },
      data: { fn: by, notifier: id },
    });
}

export function notifierRemove(s: State, id: number): void {
  const n = s.notifiers[id];
  if (n) mut(NOTIFIERS, n).alive = false;
}

/** mmu_interval_read_begin(): the sequence to check later, or null if it must sleep (invalidation running). */
export function readBegin(s: State, id: number): number | null {
  const n = s.notifiers[id];
  const p = n ? s.procs[n.pid] : undefined;
  if (!n || !p) throw new Error(`mmu_interval_read_begin: no notifier ${id}`);
  checkLive(s, id, 'mmu_interval_read_begin');
  if (n.seq === p.mmSeq) return null;
  return n.seq;
}

export function readRetry(s: State, id: number, seq: number): boolean {
  checkLive(s, id, 'mmu_interval_read_retry');
  return s.notifiers[id]?.seq !== seq;
}

export function setSeq(s: State, id: number, seq: number): void {
  checkLive(s, id, 'mmu_interval_set_seq');
  const n = s.notifiers[id];
  if (n) mut(NOTIFIERS, n).seq = seq;
}

/** invalidate_range_start bookkeeping: the mm's sequence becomes odd. */
export function invalidateBegin(env: Env, pid: number): number {
  const p = env.s.procs[pid];
  if (!p) throw new Error(`invalidate: no process ${pid}`);
  const w = mut(MM, p);
  if (w.mmActive === 0) w.mmSeq |= 1;
  w.mmActive++;
  return w.mmSeq;
}

/** invalidate_range_end bookkeeping: the last end makes the sequence even and wakes read_begin sleepers. */
export function invalidateEnd(env: Env, pid: number): void {
  const p = env.s.procs[pid];
  if (!p) return;
  const w = mut(MM, p);
  w.mmActive--;
  if (w.mmActive < 0)
    throw new KernelOops('oops', { code: 'invalidate-end-without-start', at: { pid }, data: { pid } });
  if (w.mmActive === 0) w.mmSeq++;
}

/** Live notifiers of the process that overlap [start, end), in id order. */
export function overlapping(s: State, pid: number, start: number, end: number): number[] {
  const out: number[] = [];
  for (const n of s.notifiers) if (n.alive && n.pid === pid && n.start < end && start < n.end) out.push(n.id);
  return out;
}
