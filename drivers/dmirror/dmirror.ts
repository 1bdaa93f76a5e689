// lib/test_hmm.c ("dmirror") as a driver plug-in: each GPU of the configuration is one
// /dev/hmm_dmirrorN device (device-private or device-coherent by its memory kind). The ioctls run as
// driver procedures against the model's state; the generic entry points map onto them: a GPU fault
// is dmirror_fault() for one page through the (device, process) mirror, a migrate request is
// MIGRATE_TO_DEV / MIGRATE_TO_SYS, migrate_to_ram is dmirror_devmem_fault().
import type { Driver } from '../../model/driver.js';
import { call, defineProc, ret } from '../../model/proc.js';
import type { Config } from '../../model/types.js';
import type { DmResult } from './dmirrorCmd.js';
import { dmirrorClose, dmirrorOpen, dmirrorRelease } from './dmirrorDevice.js';
import { dmirrorDevmemFault } from './dmirrorDevmemFault.js';
import { dmirrorExclusive } from './dmirrorExclusive.js';
import { dmirrorExclusivePage } from './dmirrorExclusivePage.js';
import { dmirrorFault } from './dmirrorFault.js';
import { dmirrorInvalidate } from './dmirrorInvalidate.js';
import { dmirrorIoctl } from './dmirrorIoctl.js';
import { dmirrorMigrateToDevice } from './dmirrorMigrateToDevice.js';
import { dmirrorMigrateToSystem } from './dmirrorMigrateToSystem.js';
import { dmirrorMmap } from './dmirrorMmap.js';
import { dmirrorRangeFault } from './dmirrorRangeFault.js';
import { dmirrorRead } from './dmirrorRead.js';
import { dmirrorSnapshot } from './dmirrorSnapshot.js';
import { dmirrorWrite } from './dmirrorWrite.js';
import { dmOwner, liveMirror, type DmirrorState } from './dmirrorState.js';

const gpuFault = defineProc<{ gpu: number; pid: number; vpn: number; write: boolean }>('gpu_fault', {
  start(env, l) {
    const m = liveMirror(env.s, l.gpu, l.pid)?.id ?? dmirrorOpen(env.s, l.gpu, l.pid);
    return call('drv:fault', { m, start: l.vpn, end: l.vpn + 1, write: l.write }, 'done');
  },
  done(_env, _l, r) {
    return ret(r === '0' ? 0 : r);
  },
});

const migrate = defineProc<{ gpu: number; pid: number; start: number; n: number; to: 'dev' | 'sys' }>(
  'migrate',
  {
    start(env, l) {
      const m = liveMirror(env.s, l.gpu, l.pid)?.id ?? dmirrorOpen(env.s, l.gpu, l.pid);
      const cmd = l.to === 'dev' ? 'migrate_to_dev' : 'migrate_to_sys';
      return call('drv:ioctl', { m, cmd, start: l.start, n: l.n, value: 0 }, 'done');
    },
    done(_env, _l, r) {
      const err = (r as DmResult).err;
      return ret(err === '0' ? 0 : err);
    },
  },
);

export const dmirror: Driver = {
  name: 'dmirror',
  summary:
    "Linux 6.1's lib/test_hmm.c: XArray mirror filled by hmm_range_fault, migrations through migrate_vma, device-exclusive access, and the inclusive-end over-invalidation of dmirror_do_update()",
  init: (): DmirrorState => ({ mirrors: [], byNid: {}, migratedBy: {} }),
  pgmapOwner: (_cfg: Config, gpu: number) => dmOwner(gpu),
  procs: {
    gpu_fault: gpuFault,
    migrate_to_ram: dmirrorDevmemFault,
    invalidate: dmirrorInvalidate,
    migrate,
    ioctl: dmirrorIoctl,
    fault: dmirrorFault,
    range_fault: dmirrorRangeFault,
    read: dmirrorRead,
    write: dmirrorWrite,
    migrate_to_device: dmirrorMigrateToDevice,
    migrate_to_system: dmirrorMigrateToSystem,
    snapshot: dmirrorSnapshot,
    exclusive: dmirrorExclusive,
    exclusive_page: dmirrorExclusivePage,
    close: dmirrorClose,
    release_chunks: dmirrorRelease,
    mmap: dmirrorMmap,
  },
};

/** `svmcheck run --driver dist/drivers/dmirror/dmirror.js` loads the default export. */
export default dmirror;
