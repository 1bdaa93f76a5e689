// A mirror that tears its interval notifier down from the MMU_NOTIFY_UNMAP callback, while a GPU
// fault that looked the notifier up earlier still holds it without a reference: the fault's
// mmu_interval_read_begin / read_retry then runs on a freed notifier. drm_gpusvm defers notifier
// removal to the driver's garbage collector for this reason ("DOC: Partial Unmapping",
// drivers/gpu/drm/drm_gpusvm.c, read at torvalds/linux: drm_gpusvm_range_remove and the notifier's
// removal run from the worker, with the notifier lock held), and mm/hmm.c's "fix use after free
// with struct hmm in the mmu notifiers" (6d7c3cde93c1) is the same class in the core.
import type { Driver } from '../../model/driver.js';
import { driverProcName } from '../../model/driver.js';
import { notifierRemove } from '../../model/notifier.js';
import { call, defineProc, ret } from '../../model/proc.js';
import { mirror } from '../mirror.js';

interface L {
  nid: number;
  tag: number;
  pid: number;
  start: number;
  end: number;
  event: string;
  seq: number;
}

const freeOnUnmap = defineProc<L>('invalidate', {
  start(_env, l) {
    const args = {
      nid: l.nid,
      tag: l.tag,
      pid: l.pid,
      start: l.start,
      end: l.end,
      event: l.event,
      seq: l.seq,
    };
    return call(driverProcName('invalidate_zap'), args, 'done');
  },
  done(env, l) {
    // The mirror is torn down at once, not by a worker after the fault paths let go of it.
    if (l.event === 'unmap') notifierRemove(env.s, l.nid);
    return ret(true);
  },
});

export const mirrorFreeOnUnmap: Driver = {
  ...mirror,
  name: 'mirror-free-on-unmap',
  summary: 'mirror that removes its interval notifier from the UNMAP callback while GPU faults still use it',
  suite: 'mirror',
  procs: { ...mirror.procs, invalidate: freeOnUnmap, invalidate_zap: mirror.procs.invalidate },
  broken: {
    bug: "munmap removes the mirror's interval notifier from the invalidate callback; a GPU fault that looked it up before uses it after the removal",
    fix: 'defer notifier removal until no fault path holds it (drm_gpusvm garbage collector; mm/hmm: "fix use after free with struct hmm in the mmu notifiers")',
    expects: 'memory-safety',
    layer: 'hmm-mirror',
    scenario: [
      "a GPU fault looks up the mirror's notifier and snapshots the page with hmm_range_fault",
      "munmap's UNMAP callback removes the notifier; the fault's mmu_interval_read_retry touches it after the removal",
    ],
  },
};
