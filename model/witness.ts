// The evidence a progress or ordering failure carries, as data for the report to render: the
// wait-for cycle of an actual deadlock, the lock-class cycle of a potential one (lockdep's
// "possible unsafe locking scenario"), or the chain a dma_fence is held up by.
import type { LockEdge } from './lockdep/lockEdge.js';
import type { WaitLink } from './waitFor.js';

export type Witness =
  /** An actual deadlock: `cycle` waits on itself; `blocked` is every blocked activity. */
  | { k: 'wait-for'; cycle: WaitLink[]; blocked: WaitLink[] }
  /** A cycle of lock-class dependencies, each edge with the first place it was seen. */
  | { k: 'lock-order'; cycle: LockEdge[] }
  /** A dma_fence's job and the activities it waits on, ending where it depends on something unbounded. */
  | { k: 'fence-chain'; fence: string; chain: WaitLink[] }
  /** A livelock: the trace's steps from..to (inclusive) come back to the state before them and repeat forever. */
  | {
      k: 'lasso';
      from: number;
      to: number;
      /** A lockup: each activity left without a CPU, then the task keeping that CPU (model/cpus.ts). */
      cpus?: WaitLink[];
    };
