import type { FindingOf, Invariant } from './invariant.js';

export type SetAttrAtomicFinding = FindingOf<
  'changed',
  { pid: number; start: number; end: number; err: string }
>;

export const setAttrAtomic: Invariant = {
  id: 'set-attr-atomic',
  cls: 'range',
  meaning:
    'A set_attr that is rejected leaves the svm_range list exactly as it was (svm_range_add is a transaction).',
  transition: true,
  events: ['svm-set-attr'],
  check(_s, events) {
    for (const e of events) {
      if (e.e !== 'svm-set-attr' || !e.changed) continue;
      return {
        code: 'changed',
        at: { pid: e.pid, vpn: e.start },
        data: { pid: e.pid, start: e.start, end: e.end, err: e.err },
      } satisfies SetAttrAtomicFinding;
    }
    return null;
  },
};
