// The migrate / prefetch request of a program (a device ioctl) around the driver's `migrate` entry
// point: a device file's ioctl runs inside drm_dev_enter() (drivers/gpu/drm/drm_drv.c), so an
// unplug waits for requests in flight and later ones get -ENODEV.
import { driverProcName } from '../driver.js';
import { drmDevEnter, drmDevExit } from '../devmem.js';
import { call, defineProc, emit, ret } from '../proc.js';

interface L {
  gpu: number;
  pid: number;
  start: number;
  n: number;
  to: string;
}

export const migrateIoctl = defineProc<L>('migrate_ioctl', {
  start(env, l) {
    if (!drmDevEnter(env.s, l.gpu)) {
      emit(env, { e: 'syscall', op: 'migrate', pid: l.pid, err: 'ENODEV', detail: `gpu${l.gpu} unbound` });
      return ret('ENODEV');
    }
    const args = { gpu: l.gpu, pid: l.pid, start: l.start, n: l.n, to: l.to };
    return call(driverProcName('migrate'), args, 'done');
  },
  done(env, l, r) {
    drmDevExit(env.s, l.gpu);
    return ret(r);
  },
});
