// The mirror driver's own bookkeeping (State.drv): which mmu_interval_notifier mirrors each (GPU,
// process) pair, as each dmirror instance (lib/test_hmm.c) holds its notifier.
import type { State } from '../../model/types.js';
import { notifierInsert } from '../../model/notifier.js';
import { driverState } from '../../model/touched.js';

export interface MirrorState {
  /** Notifier id per `${gpu}:${pid}`. */
  nids: Record<string, number>;
}

/**
 * The notifier of GPU `gpu`'s mirror of process `pid`, inserted over the whole address space on
 * first use (or again once the process's notifier died), like dmirror_fops_open's
 * mmu_interval_notifier_insert over [0, ULONG_MAX).
 */
export function mirrorNotifier(s: State, gpu: number, pid: number): number {
  const d = driverState<MirrorState>(s);
  const key = `${gpu}:${pid}`;
  let id = d.nids[key];
  if (id === undefined || !s.notifiers[id]?.alive) {
    id = notifierInsert(s, pid, 0, s.cfg.vaPages, gpu);
    d.nids[key] = id;
  }
  return id;
}
