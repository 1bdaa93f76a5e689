// dmirror_fops_unlocked_ioctl(): the checks every command shares (an empty or wrapping range is
// -EINVAL before anything runs) and the dispatch to the command's handler.
import { call, defineProc, ret } from '../../model/proc.js';
import type { DmResult } from './dmirrorCmd.js';
import { dmirrorCheckExclusive } from './dmirrorDevice.js';

/** The HMM_DMIRROR_* commands of lib/test_hmm_uapi.h. */
export type DmCmd =
  | 'read'
  | 'write'
  | 'migrate_to_dev'
  | 'migrate_to_sys'
  | 'snapshot'
  | 'exclusive'
  | 'check_exclusive'
  | 'release';

const HANDLER: Record<Exclude<DmCmd, 'check_exclusive'>, string> = {
  read: 'drv:read',
  write: 'drv:write',
  migrate_to_dev: 'drv:migrate_to_device',
  migrate_to_sys: 'drv:migrate_to_system',
  snapshot: 'drv:snapshot',
  exclusive: 'drv:exclusive',
  release: 'drv:release_chunks',
};

interface L {
  m: number;
  cmd: DmCmd;
  start: number;
  n: number;
  value: number;
  values?: number[];
}

export const dmirrorIoctl = defineProc<L>('ioctl', {
  start(env, l) {
    if (l.n <= 0) return ret({ err: 'EINVAL', cpages: 0, faults: 0 } satisfies DmResult);
    if (l.cmd === 'check_exclusive') return ret(dmirrorCheckExclusive(env.s, l.m, l.start, l.n));
    const buf = l.values ? { values: l.values } : {};
    return call(HANDLER[l.cmd], { m: l.m, start: l.start, n: l.n, value: l.value, ...buf }, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});
