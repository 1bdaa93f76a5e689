// How the text report names each kind of problem where it marks the step that broke it: one
// exhaustive match, so a new kind of problem does not compile until the report can say it.
import { match } from 'ts-pattern';
import type { ProblemKind } from '../properties/invariant.js';

/** The mark on the interleaving's failing step, for a problem of this kind. */
export function failingStepMark(kind: ProblemKind): string {
  return match(kind)
    .with('invariant', () => 'invariant broken here')
    .with('kernel-bug', () => 'kernel BUG here (the invariant it protects broke)')
    .with('kernel-oops', () => 'kernel oops here')
    .with('deadlock', () => 'no activity can run after this step: deadlock')
    .with('potential-deadlock', () => 'lockdep: this step closes a lock-order cycle')
    .with('livelock', () => 'the loop comes back here')
    .with('lockup', () => 'the loop comes back here, a CPU never freed')
    .exhaustive();
}
