import type { Frame, State } from '../model/types.js';
import type { FindingOf, Invariant } from './invariant.js';

/** What the stale fault made for the mapping there now: a migration window, or an svm_range. */
export type NoStaleFaultStateFinding = FindingOf<
  'window' | 'range',
  { gpu: number; pid: number; vpn: number; start: number; last: number; cell: number; now: number }
>;

/** A GPU fault in flight: where it was raised, the mapping (oracle cell) there then, and whether it was SVM memory. */
interface InFlight {
  gpu: number;
  pid: number;
  vpn: number;
  cell: number;
  svm: boolean;
}

function faultsInFlight(s: State): InFlight[] {
  const out: InFlight[] = [];
  for (const a of s.acts)
    for (const f of a.frames as readonly Frame[]) {
      if (f.fn !== 'gpu_fault_handler') continue;
      const l = f.l as { gpu: number; pid: number; vpn: number; cell?: number; svm?: boolean };
      if (l.cell !== undefined)
        out.push({ gpu: l.gpu, pid: l.pid, vpn: l.vpn, cell: l.cell, svm: l.svm === true });
    }
  return out;
}

/**
 * The fault path's own events (a range a GPU fault created, a fault's migration window) must be
 * for a fault raised on the mapping at that address now. A fault raised on registered SVM memory
 * for an earlier mapping (munmap and mmap at the same address since) is stale: kfd drops it
 * (svm_range_unmap_from_cpu sets drain_pagefaults and the IH checkpoint timestamp, "to avoid
 * straggler interrupts on unmapped memory causing phantom faults"; svm_range_restore_pages drops
 * faults older than the checkpoint) rather than act on the new mapping. A fault on memory no range
 * covered has no notifier to drain it: upstream serves it on the new mapping, and the GPU's retry
 * would fault there anyway, so it is not judged.
 */
export const noStaleFaultState: Invariant = {
  id: 'no-stale-fault-state',
  cls: 'range',
  meaning:
    'A GPU fault raised on SVM memory of one mapping never creates a range or migrates memory for a later mapping at the same address (munmap and mmap in between: no ABA).',
  transition: true,
  events: ['svm-range', 'svm-window'],
  // The faults in flight: each gpu_fault_handler frame's address and the mapping it was raised on.
  readsFrames: ['gpu_fault_handler'],
  check(s, events) {
    let inFlight: InFlight[] | null = null;
    for (const e of events) {
      if (e.e !== 'svm-window' && (e.e !== 'svm-range' || e.what !== 'created by GPU fault')) continue;
      inFlight ??= faultsInFlight(s);
      const mine = inFlight.filter((f) => f.pid === e.pid && f.vpn >= e.start && f.vpn <= e.last);
      const now = (f: InFlight): number => s.procs[f.pid]?.cell[f.vpn] ?? -1;
      // Judged only when every fault that could have done it was raised for another mapping.
      const stale = mine.length > 0 && mine.every((f) => f.svm && f.cell >= 0 && f.cell !== now(f));
      if (!stale) continue;
      const f = mine[0] as InFlight;
      return {
        code: e.e === 'svm-window' ? 'window' : 'range',
        at: { gpu: f.gpu, pid: f.pid, vpn: f.vpn },
        data: { gpu: f.gpu, pid: f.pid, vpn: f.vpn, start: e.start, last: e.last, cell: f.cell, now: now(f) },
      } satisfies NoStaleFaultStateFinding;
    }
    return null;
  },
};
