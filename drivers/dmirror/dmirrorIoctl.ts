// dmirror_fops_unlocked_ioctl(): the checks every command shares (an empty or wrapping range is
// -EINVAL before anything runs) and the dispatch to the command's handler.
import { call, defineProc, ret } from '../../model/proc.js';
import type { DmResult } from './dmirrorCmd.js';
import { dmirrorCheckExclusive } from './dmirrorDevice.js';
import { devicePrivateThp } from '../../model/kernel/thp.js';
import type { State } from '../../model/types.js';
import { mirrorById } from './dmirrorState.js';

/**
 * HMM_DMIRROR_FLAGS: "dmirror->flags = cmd.npages" (Balbir Singh, "lib/test_hmm: add
 * HMM_DMIRROR_FLAG_FAIL_ALLOC", part of the device-private THP series, as posted 2025-07-03). The
 * command came with device-private THP support: test_hmm of a release without it answers -EINVAL
 * (the switch's default).
 */
function dmirrorFlags(s: State, id: number, flags: number): DmResult {
  if (!devicePrivateThp(s.cfg)) return { err: 'EINVAL', cpages: 0, faults: 0 };
  mirrorById(s, id).flags = flags;
  return { err: '0', cpages: 0, faults: 0 };
}

/** The HMM_DMIRROR_* commands of lib/test_hmm_uapi.h. */
export type DmCmd =
  | 'read'
  | 'write'
  | 'migrate_to_dev'
  | 'migrate_to_sys'
  | 'snapshot'
  | 'exclusive'
  | 'check_exclusive'
  | 'release'
  | 'flags';

const HANDLER: Record<Exclude<DmCmd, 'check_exclusive' | 'flags'>, string> = {
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
    if (l.cmd === 'flags') return ret(dmirrorFlags(env.s, l.m, l.n));
    const buf = l.values ? { values: l.values } : {};
    return call(HANDLER[l.cmd], { m: l.m, start: l.start, n: l.n, value: l.value, ...buf }, 'done');
  },
  done(_env, _l, r) {
    return ret(r);
  },
});
