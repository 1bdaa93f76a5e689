// The executor's own choice once the program's schedule is used up: a weakly fair scheduler. It
// prefers the first candidate that is not spinning (as before), but a candidate left runnable and
// unpicked for STARVATION_STEPS steps in a row is picked next, oldest first. Without that, a retry
// loop listed first (a GPU fault replayed while its drain waits for a kworker) would keep the CPU
// forever and a correct driver would "livelock" only because the scheduler never runs the kworker,
// which no kernel scheduler does (issue 17, triage of the reference's forward-progress failures).

/** How long a runnable candidate may be passed over before it must run. */
export const STARVATION_STEPS = 16;

export class FairChoice {
  /** Candidate key → the step since which it has been runnable without being picked. */
  private since = new Map<number, number>();

  /**
   * The index to run among `keys[0..count)` at step n, given the index the plain policy would take.
   * Keys identify a candidate across steps (an unstarted operation or a running activity); one that
   * was not runnable at the previous call starts counting afresh.
   */
  choose(keys: readonly number[], count: number, n: number, plain: number): number {
    const next = new Map<number, number>();
    let pick = plain;
    let pickAt = n - STARVATION_STEPS + 1;
    for (let i = 0; i < count; i++) {
      const k = keys[i] as number;
      const at = this.since.get(k) ?? n;
      next.set(k, at);
      if (at < pickAt) {
        pickAt = at;
        pick = i;
      }
    }
    next.delete(keys[pick] as number);
    this.since = next;
    return pick;
  }
}
