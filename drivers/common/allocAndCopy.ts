// The driver's half of a migration between migrate_vma_setup and migrate_vma_pages: allocate a
// destination for every collected page and copy the data (dmirror_migrate_alloc_and_copy,
// svm_migrate_copy_to_vram/ram). Holes (none/zero ptes) get zero-filled pages on the device and
// nothing in system memory.
import type { State } from '../../model/types.js';
import { migrationById } from '../../model/kernel/migrate.js';
import { PAGES, mut } from '../../model/touched.js';

/** Returns false when an allocation failed (those pages simply do not migrate). */
export function allocAndCopy(s: State, mig: number, toDev: boolean, alloc: () => number): boolean {
  const m = migrationById(s, mig);
  let ok = true;
  m.src.forEach((src, i) => {
    if (!src.migrate || (src.hole && !toDev)) return;
    const dst = alloc();
    if (dst < 0) {
      ok = false;
      return;
    }
    const d = s.phys[dst];
    if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
    m.dst[i] = dst;
  });
  return ok;
}
