// vma_merge() as mprotect_fixup() reaches it: neighbouring VMAs with the same protection, the same
// backing (private anonymous, or the same shmem object at contiguous offsets) and compatible
// anon_vmas become one VMA again, which later page-table walks see as one.
import type { Process, State, Vma } from '../types.js';
import { MM, mut } from '../touched.js';

function mergeable(a: Vma, b: Vma): boolean {
  if (a.end !== b.start || a.prot !== b.prot || a.shm !== b.shm) return false;
  return a.shm < 0 || a.pgoff + (a.end - a.start) === b.pgoff;
}

export function mergeVmas(s: State, p: Process): void {
  for (let i = 0; i + 1 < p.vmas.length;) {
    const a = p.vmas[i] as Vma;
    const b = p.vmas[i + 1] as Vma;
    if (!mergeable(a, b)) {
      i++;
      continue;
    }
    const w = mut(MM, a);
    w.end = b.end;
    if (b.anon) w.anon = true;
    mut(MM, p.vmas).splice(i + 1, 1);
    // The split that made two VMAs counted one more shmem user; merging gives it back.
    const shm = s.shms[a.shm];
    if (shm) mut(MM, shm).users--;
  }
}
