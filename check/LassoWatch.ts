// Liveness as a lasso, not a step bound: a livelock is a reachable cycle of states, run under a
// weakly fair schedule, in which work stays pending. The executor shows each state after a step to
// the watch (from LASSO_FROM steps on, so that the short runs that are nearly all of them pay
// nothing); when a state comes back exactly — the explorer's canonical encoding (StateCodec), plus
// how many operations have started — the steps between the two visits can repeat forever, since the
// model is deterministic given its choices. The loop counts as a livelock only if it is fair (TLC's
// WF over the activities): every candidate runnable at every step of the loop is run in it. An
// unfair loop is the scheduler's doing, not the driver's, and the run goes on (FairChoice ends it).
import type { Driver } from '../model/driver.js';
import { initialState } from '../model/engine.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { primeLockdep } from '../model/lockdep/primeLockdep.js';
import type { Config, State } from '../model/types.js';
import { StateCodec } from '../explore/StateCodec.js';

/** Steps before the watch starts encoding states. */
export const LASSO_FROM = 32;

/** A loop: the state after step `from` comes back after step `to`; steps from+1..to repeat forever. */
export interface Lasso {
  from: number;
  to: number;
}

interface Seen {
  step: number;
  words: Int32Array;
}

export class LassoWatch {
  private codec: StateCodec | null = null;
  private readonly seen = new Map<string, Seen[]>();
  /** Per observed step: the candidates' keys and the key that ran. */
  private readonly runnable = new Map<number, readonly number[]>();
  private readonly ran = new Map<number, number>();
  /** Per observed step: work that could run but had no CPU. */
  private readonly noCpu = new Map<number, readonly number[]>();
  private readonly h = { hi: 0, lo: 0 };

  constructor(
    private readonly cfg: Config,
    private readonly driver: Driver,
    private readonly primed: boolean,
  ) {}

  /** Step n offered `keys` and ran `ranKey`; s (with lockdep's edges) is the state after it. */
  observe(
    n: number,
    keys: readonly number[],
    ranKey: number,
    s: State,
    edges: ReadonlyMap<string, LockEdge>,
    started: number,
    noCpu: readonly number[] = [],
  ): Lasso | null {
    this.runnable.set(n, keys);
    this.ran.set(n, ranKey);
    if (noCpu.length > 0) this.noCpu.set(n, noCpu);
    if (!this.codec) {
      const boot = new Map<string, LockEdge>();
      if (this.primed) primeLockdep(boot);
      this.codec = new StateCodec(initialState(this.cfg, this.driver), boot);
    }
    const c = this.codec;
    c.encode(s, started, edges);
    c.hash(this.h);
    const key = `${this.h.hi}:${this.h.lo}`;
    const words = c.w.buf.slice(StateCodec.HASHED_FROM, c.w.n);
    const list = this.seen.get(key);
    const same = list?.find((e) => sameWords(e.words, words));
    if (same && this.fair(same.step + 1, n)) return { from: same.step, to: n };
    if (same) same.step = n;
    else if (list) list.push({ step: n, words });
    else this.seen.set(key, [{ step: n, words }]);
    return null;
  }

  /**
   * Fairness on steps a..b: no candidate runnable at all of them is left unrun (weak fairness), and
   * none that could run at all of them but had a CPU free at only some (strong fairness over CPUs:
   * the scheduler gives a CPU that comes free to the task waiting for it). Work with no CPU at
   * every step of the loop is what a lockup starves: that loop is fair, and a lockup.
   */
  private fair(a: number, b: number): boolean {
    const first = [...(this.runnable.get(a) ?? []), ...(this.noCpu.get(a) ?? [])];
    for (const k of first) {
      let always = true;
      let didRun = false;
      let starved = true;
      for (let i = a; i <= b && always && !didRun; i++) {
        const cpuLess = (this.noCpu.get(i) ?? []).includes(k);
        always = cpuLess || (this.runnable.get(i) ?? []).includes(k);
        starved &&= cpuLess;
        didRun = this.ran.get(i) === k;
      }
      if (always && !didRun && !starved) return false;
    }
    return true;
  }
}

function sameWords(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
