// The sink of an Expander on a worker thread: it writes each successor's outcome into a stream of
// 32-bit words (and the problems beside it) for the main thread to take in the search's order
// (replayRecords.ts). What the worker knows is every state up to the level being expanded (the
// main thread sends each level's new hashes): a successor it knows is recorded as such and its
// checks are skipped, as in process; one it does not know is checked here, and the main thread,
// which also knows the states found earlier in the level, decides whether it is new.
import type { Problem } from '../../properties/invariant.js';
import type { ExpandSink } from '../Expander.js';
import type { Hash } from '../hash64.js';
import { Ints } from '../Ints.js';
import type { Move } from '../Transitions.js';
import { VisitedSet } from '../VisitedSet.js';

/** Record kinds, the first word of each record. */
export const R = {
  enabled: 0,
  notModelled: 1,
  failed: 2,
  self: 3,
  known: 4,
  fresh: 5,
  freshFailed: 6,
} as const;

export class Recorder implements ExpandSink {
  readonly out = new Ints();
  readonly problems: Problem[] = [];
  private readonly visited = new VisitedSet();
  /**
   * The states this worker recorded as unknown at the level being expanded: met again (in this
   * slice or a later one of the level, which the main thread takes after it), each is known to the
   * search by then, so it is recorded as known and its checks and words are not repeated.
   */
  private level = new VisitedSet();
  /** Whether new states' words are recorded (SliceJob.keep). */
  private keep = true;
  /** The move and hash of the last reached() that did not know its state. */
  private readonly pending = new Ints();

  /** Adds states the main thread found (hash pairs hi, lo). */
  learn(hashes: Int32Array): void {
    for (let i = 0; i + 1 < hashes.length; i += 2)
      this.visited.add(hashes[i] as number, hashes[i + 1] as number);
    // Learning comes between levels: what the last level met is in `visited` now, or was not new.
    this.level = new VisitedSet();
  }

  /**
   * Starts a new stream, recording new states' words if `keep`: in `buffer` when one is given, else
   * in a new one if the last stream's buffer was moved away (to the main thread).
   */
  clear(keep: boolean, buffer?: Int32Array<ArrayBuffer>): void {
    this.keep = keep;
    if (buffer) this.out.a = buffer;
    else if (this.out.a.length === 0) this.out.a = new Int32Array(1024);
    this.out.n = 0;
    this.problems.length = 0;
  }

  enabled(node: number, runnable: readonly number[], noCpu: readonly number[], ample: boolean): void {
    const o = this.out;
    o.push(R.enabled);
    o.push(node);
    o.push(ample ? 1 : 0);
    o.push(runnable.length);
    for (const x of runnable) o.push(x);
    o.push(noCpu.length);
    for (const x of noCpu) o.push(x);
  }

  /** It knows exactly the states of the levels before this one (learn()). */
  seenBefore(h: Hash): boolean {
    return this.visited.has(h.hi, h.lo);
  }

  notModelled(): void {
    this.out.push(R.notModelled);
  }

  failed(from: number, move: Move, problem: Problem): boolean {
    this.header(this.out, R.failed, from, move);
    this.out.push(this.problems.length);
    this.problems.push(problem);
    // Nothing after it in the search's order counts.
    return false;
  }

  self(from: number, move: Move): void {
    this.header(this.out, R.self, from, move);
  }

  reached(from: number, move: Move, h: Hash): boolean {
    if (this.visited.has(h.hi, h.lo) || !this.level.add(h.hi, h.lo)) {
      this.header(this.out, R.known, from, move);
      this.out.push(h.hi);
      this.out.push(h.lo);
      return false;
    }
    const p = this.pending;
    p.n = 0;
    this.header(p, 0, from, move);
    p.push(h.hi);
    p.push(h.lo);
    return true;
  }

  fresh(words: Int32Array, n: number): boolean {
    this.copyPending(R.fresh);
    if (!this.keep) {
      this.out.push(0);
      return true;
    }
    this.out.push(n);
    this.out.pushAll(words, n);
    return true;
  }

  freshFailed(problem: Problem): boolean {
    this.copyPending(R.freshFailed);
    this.out.push(this.problems.length);
    this.problems.push(problem);
    // The main thread may know the state already (found earlier in the level): go on.
    return true;
  }

  private header(o: Ints, kind: number, from: number, move: Move): void {
    o.push(kind);
    o.push(from);
    o.push(move.agent);
    o.push(move.op);
    o.push(move.faults.length);
    for (const f of move.faults) o.push(f);
  }

  private copyPending(kind: number): void {
    const p = this.pending;
    this.out.push(kind);
    for (let i = 1; i < p.n; i++) this.out.push(p.at(i));
  }
}
