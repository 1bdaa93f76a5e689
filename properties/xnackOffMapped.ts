// XNACK off, a GPU access to an unmapped page is fatal (no retry fault): so when set_attr returns
// success, and when restore_work restarts a process's queues, every page the GPUs may access must
// be mapped on them (kfd_svm.c at 006ad514a50c: svm_range_set_attr, svm_range_restore_work).
import { vmaAt } from '../model/mem.js';
import { queuesRun } from '../model/queues.js';
import type { State } from '../model/types.js';
import type { FindingOf, Invariant } from './invariant.js';
import { inUnmapping } from './inUnmapping.js';

/** When the page was found unmapped: set_attr returned 0, or restore_work resumed the queues. */
export type XnackOffMappedFinding = FindingOf<
  'set-attr' | 'resume',
  { gpu: number; pid: number; vpn: number }
>;

/** The first page of [start, end) of pid a GPU may access but has no PTE for, as a finding. */
function firstUnmapped(
  s: State,
  pid: number,
  start: number,
  end: number,
  when: XnackOffMappedFinding['code'],
): XnackOffMappedFinding | null {
  const attrs = s.uapi.attrs[pid] ?? [];
  for (let vpn = start; vpn < end; vpn++) {
    const a = attrs[vpn];
    if (!a) continue;
    const v = vmaAt(s, pid, vpn);
    if (!v || v.prot === 'none' || inUnmapping(s, pid, vpn)) continue;
    if (s.uapi.inflight.some((f) => f.pid === pid && vpn >= f.start && vpn < f.end)) continue;
    for (let g = 0; g < s.cfg.gpus.length; g++) {
      if (!(((a.access | a.aip) >> g) & 1) || s.gpuPt[g]?.[pid]?.[vpn]) continue;
      return { code: when, at: { gpu: g, pid, vpn }, data: { gpu: g, pid, vpn } };
    }
  }
  return null;
}

export const xnackOffMapped: Invariant = {
  id: 'xnack-off-mapped',
  cls: 'coherence',
  meaning:
    "XNACK off: when set_attr returns success and when restore_work restarts a process's queues, every page a GPU has access to (and the CPU maps readable) is mapped on that GPU.",
  transition: true,
  events: ['svm-set-attr', 'queues'],
  check(s, events) {
    if (s.cfg.xnack !== 'off') return null;
    for (const e of events) {
      if (e.e === 'svm-set-attr' && e.err === '0' && e.applied && queuesRun(s, e.pid)) {
        const f = firstUnmapped(s, e.pid, e.start, e.end, 'set-attr');
        if (f) return f;
      }
      if (e.e === 'queues' && e.what === 'resume' && queuesRun(s, e.pid)) {
        const f = firstUnmapped(s, e.pid, 0, s.cfg.vaPages, 'resume');
        if (f) return f;
      }
    }
    return null;
  },
};
