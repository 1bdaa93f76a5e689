// The command-submission ioctl (amdgpu_cs_ioctl, or a user queue's doorbell for KFD): the driver's
// `submit` entry point chooses the fence, reserves and validates buffers and publishes the job.
import { driverProcName } from '../driver.js';
import { call, defineProc, emit, ret } from '../proc.js';

export interface SubmitArgs {
  gpu: number;
  engine: 'gfx' | 'compute';
  pid: number;
  vpn: number;
  write: boolean;
  /** The job touches SVM memory at (pid, vpn), so it can take recoverable page faults. */
  svm: boolean;
  /** Index of the program's buffer object on that GPU the job renders into, -1 for none. */
  bo: number;
  /** Fence the job depends on (explicit sync: a syncobj or sync_file in-fence), -1 for none. */
  dep: number;
}

export const submitIoctl = defineProc<SubmitArgs>('submit_ioctl', {
  start(env, l) {
    if (!env.procs.has(driverProcName('submit'))) {
      emit(env, {
        e: 'syscall',
        op: 'submit',
        pid: l.pid,
        err: 'SKIP',
        detail: 'driver has no command submission',
      });
      return ret(0);
    }
    // Field by field, not a spread of the locals: copying an object of any shape is a slow path.
    const args = {
      gpu: l.gpu,
      engine: l.engine,
      pid: l.pid,
      vpn: l.vpn,
      write: l.write,
      svm: l.svm,
      bo: l.bo,
      dep: l.dep,
    } satisfies SubmitArgs;
    return call(driverProcName('submit'), args, 'done');
  },
  done(env, l, r) {
    const err = typeof r === 'number' ? '0' : String(r);
    emit(env, {
      e: 'syscall',
      op: 'submit',
      pid: l.pid,
      err,
      detail: typeof r === 'number' ? `job ${r}` : '',
    });
    return ret(r);
  },
});
