import type { Invariant } from './invariant.js';
import { pageName } from './where.js';

export const noLeakAtExit: Invariant = {
  id: 'no-leak-at-exit',
  cls: 'refcount',
  meaning:
    'Once every process has exited and all deferred work has run, every BO and every device page is free.',
  final: true,
  check(s, _events, drv) {
    if (s.procs.some((p) => p.alive) || s.acts.length > 0) return null;
    for (const b of drv.bos?.(s) ?? [])
      if (b.state !== 'freed')
        return {
          expected: `BO ${b.id} freed after exit`,
          actual: `${b.state}, refcount ${b.ref}`,
          message: `leak: VRAM BO ${b.id} outlives every process`,
        };
    for (let i = 0; i < s.phys.length; i++) {
      const p = s.phys[i];
      if (p && p.gpu >= 0 && !p.free)
        return {
          expected: `${pageName(s, i)} free after exit`,
          actual: `refcount ${p.ref}`,
          message: `leak: ${pageName(s, i)} outlives every process`,
        };
    }
    return null;
  },
};
