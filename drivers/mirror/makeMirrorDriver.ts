// The foundation's reference driver, shaped like lib/test_hmm.c (dmirror) with nouveau's policy of
// migrating to VRAM on a GPU fault: one mmu_interval_notifier per (GPU, process) mirror, faults
// resolved by hmm_range_fault under mmap_lock and committed under the driver mutex only if
// mmu_interval_read_retry() says nothing moved; every invalidation zaps the mirror. One kernel
// function per file beside this one (mirrorGpuFault, mirrorMigrateRange, ...).
// Broken variants (drivers/broken/) are this driver with some steps replaced (withSteps, the public
// API), so each differs from it by exactly its bug; the driver itself carries no bug switches.
import { unbindDevmem } from '../common/unbindDevmem.js';
import type { Driver } from '../../model/driver.js';
import type { Config } from '../../model/types.js';
import { mirrorGpuFault } from './mirrorGpuFault.js';
import { mirrorInvalidate } from './mirrorInvalidate.js';
import { mirrorMigrate } from './mirrorMigrate.js';
import { mirrorMigrateRange } from './mirrorMigrateRange.js';
import { mirrorMigrateToRam } from './mirrorMigrateToRam.js';
import type { MirrorState } from './mirrorState.js';

/** The mirror driver named `name`: each GPU's device pages have their own pgmap owner (gpu + 1). */
export function makeMirrorDriver(name: string, summary: string): Omit<Driver, 'broken'> {
  return {
    name,
    summary,
    init: (): MirrorState => ({ nids: {} }),
    pgmapOwner: (_cfg: Config, gpu: number): number => gpu + 1,
    procs: {
      gpu_fault: mirrorGpuFault,
      migrate_to_ram: mirrorMigrateToRam,
      invalidate: mirrorInvalidate,
      migrate: mirrorMigrate,
      migrate_range: mirrorMigrateRange,
      unbind: unbindDevmem,
    },
  };
}
