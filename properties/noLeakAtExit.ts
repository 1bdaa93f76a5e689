import type { FindingOf, Invariant } from './invariant.js';
import { pageRef, type PageRef } from './pageRef.js';

/** bo: a BO not freed; page: a device page still allocated. */
export type NoLeakAtExitFinding =
  | FindingOf<'bo', { bo: number; state: string; ref: number }>
  | FindingOf<'page', { page: PageRef; ref: number }>;

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
          code: 'bo',
          at: { bo: b.id },
          data: { bo: b.id, state: b.state, ref: b.ref },
        } satisfies NoLeakAtExitFinding;
    for (let i = 0; i < s.phys.length; i++) {
      const p = s.phys[i];
      if (p && p.gpu >= 0 && !p.free)
        return {
          code: 'page',
          at: { page: i },
          data: { page: pageRef(s, i), ref: p.ref },
        } satisfies NoLeakAtExitFinding;
    }
    return null;
  },
};
