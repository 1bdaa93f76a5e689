// dmirror_devmem_fault_alloc_and_copy() for one collected entry, which HMM_DMIRROR_MIGRATE_TO_SYS
// and the devmem fault share.
import type { Env } from '../../model/proc.js';
import type { Migration } from '../../model/types.js';
import { allocSysPage } from '../../model/mem.js';
import { pmdPages } from '../../model/kernel/pmd.js';
import { allocSysFolio } from '../../model/kernel/thp.js';
import { NotModelled } from '../../model/notModelled.js';
import { PAGES, mut } from '../../model/touched.js';
import { mirrorErase, takeFailAlloc, type DmMirror } from './dmirrorState.js';

/**
 * copyToSystem - allocate and fill the system pages entry i of `mig` moves to: a compound (large)
 * entry gets a folio of its order, or, when that allocation fails (no room, or
 * HMM_DMIRROR_FLAG_FAIL_ALLOC once), one page per subpage ("Try with smaller pages if large
 * allocation fails": migrate_vma_pages() then splits the device folio); a small entry gets one
 * page. The mirror's entries for those addresses go (xa_erase). `start` is the address of entry 0.
 *
 * Context: the caller holds the entries collected (migrate_vma_setup() done). A small entry that
 * meets HMM_DMIRROR_FLAG_FAIL_ALLOC returns VM_FAULT_OOM in the kernel: not modelled.
 */
export function copyToSystem(
  env: Env,
  m: DmMirror,
  mig: Migration,
  i: number,
  start: number,
  large: boolean,
): void {
  const s = env.s;
  const src = mig.src[i];
  if (!src) return;
  const failed = takeFailAlloc(m);
  if (failed && !large)
    throw new NotModelled(
      'test_hmm: HMM_DMIRROR_FLAG_FAIL_ALLOC met by a small page (only THP migrations are modelled)',
    );
  const folio = large && !failed ? allocSysFolio(s) : -1;
  const nr = large ? pmdPages(s.cfg) : 1;
  for (let k = 0; k < nr && i + k < mig.src.length; k++) {
    const dst = folio >= 0 ? folio + k : allocSysPage(s);
    if (dst < 0) continue;
    mirrorErase(env, m, start + i + k);
    const d = s.phys[dst];
    if (d) mut(PAGES, d).data = s.phys[src.page + k]?.data ?? 0;
    if (folio < 0 || k === 0) mig.dst[i + k] = dst;
  }
}
