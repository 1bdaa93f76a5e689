import type { Invariant } from './invariant.js';

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
        expected: `set_attr [${e.start}, ${e.end}) = -${e.err} changes no svm_range`,
        actual: 'the range list changed (ranges split or replaced)',
        message: `rejected set_attr (-${e.err}) left pid ${e.pid}'s svm_ranges modified`,
      };
    }
    return null;
  },
};
