// Expected, actual and message of any problem, in words: an invariant's finding through the message
// map (findingWords/), a predicted kernel failure through kernelFailureWords, and the runner's
// own failures (deadlock, livelock, lockup, lockdep) through runFailureWords.
import { match } from 'ts-pattern';
import { INVARIANTS } from '../properties/catalog.js';
import type { Problem, Words } from '../properties/invariant.js';
import { findingWords } from './findingWords/index.js';
import { kernelFailureWords } from './kernelFailureWords.js';
import { runFailureWords } from './runFailureWords.js';

const meaningOf = (id: string): string => INVARIANTS.find((i) => i.id === id)?.meaning ?? 'no kernel BUG';

export function problemWords(p: Problem): Words {
  return match(p)
    .with({ kind: 'invariant' }, (x) => findingWords(x.invariant, x.finding))
    .with({ kind: 'kernel-bug' }, (x) => {
      const what = kernelFailureWords(x.finding);
      // What should have held is the named invariant's meaning (a refcount, a freed object, ...).
      return { expected: meaningOf(x.invariant), actual: what, message: `${x.who}: ${what}` };
    })
    .with({ kind: 'kernel-oops' }, (x) => {
      const what = kernelFailureWords(x.finding);
      return {
        expected: 'no kernel BUG',
        actual: what,
        message: `${x.hang ? 'task hung' : 'kernel BUG'} in ${x.who}: ${what}`,
      };
    })
    .with(
      { kind: 'deadlock' },
      { kind: 'potential-deadlock' },
      { kind: 'livelock' },
      { kind: 'lockup' },
      runFailureWords,
    )
    .exhaustive();
}
