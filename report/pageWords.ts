// Kernel-style names for places in the model: pages, addresses, KFD locations and get_attr's
// answer, shared by the finding words and the state views.
import type { State } from '../model/types.js';
import type { AttrReport } from '../model/uapi.js';
import { pageRef, type PageRef } from '../properties/pageRef.js';

/** A page captured in a finding, named. */
export function pageRefName(r: PageRef): string {
  if (r.page < 0) return 'no page';
  if (r.page === 0) return 'the zero page';
  if (r.missing) return `page ${r.page}?`;
  if (r.gpu < 0) return `system page ${r.page}${r.free ? ' (freed)' : ''}`;
  return `gpu${r.gpu} VRAM page ${r.idx}${r.free ? ' (freed)' : ''}`;
}

/** A page of state `s`, named. */
export const pageName = (s: State, page: number): string => pageRefName(pageRef(s, page));

export const va = (pid: number, vpn: number): string => `pid ${pid} va page ${vpn}`;

/** A KFD location in words: -1 is KFD_IOCTL_SVM_LOCATION_UNDEFINED, i.e. none chosen. */
export const locName = (l: number): string => (l === -1 ? 'none' : l === 0 ? 'system' : `gpu${l - 1}`);

/** get_attr's answer in words. */
export function describeReport(r: AttrReport): string {
  return `{preferred ${locName(r.preferred)}, prefetch ${locName(r.prefetch)}, granularity ${r.gran}, flags &0x${r.flagsAnd.toString(16)} |0x${r.flagsOr.toString(16)}, access 0b${r.access.toString(2)}, in-place 0b${r.aip.toString(2)}}`;
}
