// do_fault_around() + filemap_map_pages() (mm/memory.c, mm/filemap.c): a read fault on a shmem
// mapping first maps every page the page cache already holds in the 16-page (fault_around_bytes)
// aligned window around the address, within the VMA and the pmd, where the pte is still empty.
import { setPte, vmaAt } from '../mem.js';
import type { State } from '../types.js';
import { pmdEnd } from './pmd.js';

/** fault_around_bytes / PAGE_SIZE. */
export const FAULT_AROUND_PAGES = 16;

export function faultAround(s: State, pid: number, vpn: number): void {
  const v = vmaAt(s, pid, vpn);
  const p = s.procs[pid];
  const shm = v ? s.shms[v.shm] : undefined;
  if (!v || !p || !shm) return;
  const from = Math.max(vpn - (vpn % FAULT_AROUND_PAGES), v.start);
  const to = Math.min(from + FAULT_AROUND_PAGES, v.end, pmdEnd(s.cfg, vpn));
  for (let x = from; x < to; x++) {
    const page = shm.pages[v.pgoff + x - v.start] ?? -1;
    if (page >= 0 && !p.pt[x]) setPte(s, pid, x, { t: 'p', page, w: v.prot === 'rw' });
  }
}
