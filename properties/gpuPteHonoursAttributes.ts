import { queuesEvicted } from '../model/queues.js';
import type { FindingOf, Invariant } from './invariant.js';
import { FLAG_GPU_RO } from '../model/uapi.js';
import { pageRef, type PageRef } from './pageRef.js';

/** no-access: a PTE on a GPU set_attr gave no access; read-only: a writable PTE on a GPU_RO range. */
export type GpuPteHonoursAttributesFinding = FindingOf<
  'no-access' | 'read-only',
  { gpu: number; pid: number; vpn: number; page: PageRef; writable: boolean }
>;

/** A set_attr still in flight over the page: either its old or its new attributes hold. */
function changing(
  inflight: readonly { pid: number; start: number; end: number }[],
  pid: number,
  vpn: number,
): boolean {
  for (const f of inflight) if (f.pid === pid && vpn >= f.start && vpn < f.end) return true;
  return false;
}

export const gpuPteHonoursAttributes: Invariant = {
  id: 'gpu-pte-honours-attributes',
  cls: 'range',
  meaning:
    'A valid GPU PTE honours the SVM attributes set_attr gave its page: no PTE on a GPU without access (KFD_IOCTL_SVM_ATTR_NO_ACCESS), no writable PTE on a GPU read-only range (KFD_IOCTL_SVM_FLAG_GPU_RO).',
  reads: ['gpu', 'uapi', 'mm'],
  check(s) {
    for (let g = 0; g < s.gpuPt.length; g++) {
      const byPid = s.gpuPt[g] ?? [];
      for (let pid = 0; pid < byPid.length; pid++) {
        const t = byPid[pid] ?? [];
        const attrs = s.uapi.attrs[pid];
        // Evicted queues (kgd2kfd_quiesce_mm, XNACK off) reach nothing: restore_work maps the range
        // again with its new attributes before they resume, and this check sees the PTEs then, as
        // no-pte-to-freed-page and mirror-consistency do (model/queues.ts).
        if (!attrs || queuesEvicted(s, pid)) continue;
        for (let vpn = 0; vpn < t.length; vpn++) {
          const e = t[vpn];
          const a = attrs[vpn];
          if (!e || !a) continue;
          const noAccess = !(((a.access | a.aip) >> g) & 1);
          const roBroken = e.w && (a.flags & FLAG_GPU_RO) !== 0;
          if ((!noAccess && !roBroken) || changing(s.uapi.inflight, pid, vpn)) continue;
          return {
            code: noAccess ? 'no-access' : 'read-only',
            at: { gpu: g, pid, vpn, page: e.page },
            data: { gpu: g, pid, vpn, page: pageRef(s, e.page), writable: e.w },
          } satisfies GpuPteHonoursAttributesFinding;
        }
      }
    }
    return null;
  },
};
