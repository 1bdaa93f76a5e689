// Kernel-style names for places in the model, shared by invariant messages.
import type { State } from '../model/types.js';
import type { AttrReport } from '../model/uapi.js';

export function pageName(s: State, page: number): string {
  if (page < 0) return 'no page';
  if (page === 0) return 'the zero page';
  const p = s.phys[page];
  if (!p) return `page ${page}?`;
  if (p.gpu < 0) return `system page ${page}${p.free ? ' (freed)' : ''}`;
  const idx = page - (s.vramBase[p.gpu] ?? 0);
  return `gpu${p.gpu} VRAM page ${idx}${p.free ? ' (freed)' : ''}`;
}

export const va = (pid: number, vpn: number): string => `pid ${pid} va page ${vpn}`;

export function inUnmapping(s: State, pid: number, vpn: number): boolean {
  const unmapping = s.procs[pid]?.unmapping;
  if (!unmapping) return false;
  for (const r of unmapping) if (vpn >= (r[0] ?? 0) && vpn < (r[1] ?? 0)) return true;
  return false;
}

/** A KFD location in words: -1 is KFD_IOCTL_SVM_LOCATION_UNDEFINED, i.e. none chosen. */
export const locName = (l: number): string => (l === -1 ? 'none' : l === 0 ? 'system' : `gpu${l - 1}`);

/** get_attr's answer in words. */
export function describeReport(r: AttrReport): string {
  return `{preferred ${locName(r.preferred)}, prefetch ${locName(r.prefetch)}, granularity ${r.gran}, flags &0x${r.flagsAnd.toString(16)} |0x${r.flagsOr.toString(16)}, access 0b${r.access.toString(2)}, in-place 0b${r.aip.toString(2)}}`;
}
