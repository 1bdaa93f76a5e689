// Whether an address is inside a munmap in progress (its notifiers not yet all run): the
// invariants that judge GPU mappings against VMAs leave such pages to no-gpu-pte-after-munmap.
import type { State } from '../model/types.js';

export function inUnmapping(s: State, pid: number, vpn: number): boolean {
  const unmapping = s.procs[pid]?.unmapping;
  if (!unmapping) return false;
  for (const r of unmapping) if (vpn >= (r[0] ?? 0) && vpn < (r[1] ?? 0)) return true;
  return false;
}
