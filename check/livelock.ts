// The forward-progress finding of a livelock, the same for the executor (LassoWatch in random mode)
// and the explorer (a move that steps the only runnable activity back to the state it started from).
import type { State } from '../model/types.js';
import type { Problem } from '../properties/invariant.js';
import { describeWaits } from './describeWaits.js';
import { runFailure } from './runFailure.js';

/**
 * A fair loop with work pending: the steps after step index `from` up to index `to` repeat forever.
 * Reports number steps from 1 (index n is step n + 1), and so do the witness and the text.
 */
export function livelock(s: State, from: number, to: number): Problem {
  const first = from + 2;
  const last = to + 1;
  const waits = describeWaits(s);
  return {
    ...runFailure(
      'forward-progress',
      to,
      'every pending operation completes under a fair schedule',
      `steps ${first}..${last} return to the state before step ${first} and repeat forever, every runnable activity running in them${waits ? `; ${waits}` : ''}`,
      `livelock: a fair schedule repeats steps ${first}..${last} forever without finishing`,
    ),
    witness: { k: 'lasso', from: first, to: last },
  };
}
