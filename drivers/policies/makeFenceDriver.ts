// A fence policy as a driver: the dmirror-shaped mirror's migration procedures
// (drivers/mirror/makeMirrorDriver.ts) with a kfd-ordered fault handler and notifier, command
// submission, run_job, eviction and a shrinker. Broken policies are withSteps modules over the
// reference policy (fenceReference), each replacing the steps its rule is broken in.
import type { Driver } from '../../model/driver.js';
import { makeMirrorDriver } from '../mirror/makeMirrorDriver.js';
import type { FenceDriverState } from './fenceDriverState.js';
import { fenceBoRelease, fenceEvict, fenceShrink } from './fenceEvict.js';
import { fenceFault } from './fenceFault.js';
import { fenceInvalidate } from './fenceInvalidate.js';
import { fenceRunJob } from './fenceRunJob.js';
import { fenceSubmit } from './fenceSubmit.js';

export function makeFenceDriver(name: string, summary: string): Omit<Driver, 'broken'> {
  const base = makeMirrorDriver(name, summary);
  const migrateRange = base.procs['migrate_range'];
  if (!migrateRange) throw new Error('makeFenceDriver: the mirror has no migrate_range procedure');
  return {
    name,
    summary,
    suite: 'fences',
    init: (): FenceDriverState => ({ nids: {}, exiting: [] }),
    pgmapOwner: base.pgmapOwner,
    procs: {
      gpu_fault: fenceFault(base.pgmapOwner),
      migrate_to_ram: base.procs.migrate_to_ram,
      invalidate: fenceInvalidate,
      migrate: base.procs.migrate,
      migrate_range: migrateRange,
      submit: fenceSubmit,
      run_job: fenceRunJob,
      evict: fenceEvict(),
      shrink: fenceShrink,
      bo_release: fenceBoRelease,
    },
  };
}
