// A lock-order dependency "B was taken (or waited on, or entered) while A was held", recorded
// between lock classes with the first place it was seen, as lockdep records them.

export type EdgeKind =
  /** A blocking lock acquisition (recorded on the attempt, before it may sleep). */
  | 'lock'
  /** A wait on a fence: lockdep's __dma_fence_might_wait() takes the fence's map for a moment. */
  | 'wait'
  /** Entering a pseudo-lock section (dma_fence_begin_signalling, fs_reclaim, the notifier map). */
  | 'section';

export interface LockEdge {
  /** Lock classes: `from` was held when `to` was taken. */
  from: string;
  to: string;
  /** The instances at the first witness. */
  fromName: string;
  toName: string;
  how: EdgeKind;
  /** Recorded at boot by a lockdep priming function, not seen in this run. */
  primed: boolean;
  /** First witness: scheduler step, agent, program operation (-1 for kernel work) and call stack. */
  step: number;
  agent: string;
  op: number;
  /** Procedures on the activity's stack, outermost first (lockdep prints the stack trace). */
  stack: string[];
}

export const edgeKey = (from: string, to: string): string => `${from} -> ${to}`;
