// The canonical form of a model state as 32-bit words: what the explorer hashes, stores for its
// frontier (compact, and invisible to the garbage collector) and decodes to expand a state.
// Everything that can affect a future step, an invariant or the transitions offered is encoded
// exactly (procedure frames and locals, locks, waits, the driver's state, fences and jobs, the uAPI
// ghost state, counters, lockdep's dependencies); history is left out (see stateFields.ts).
//
// The codec itself renumbers nothing: oracle cells, shmem objects, written values, fence and job
// ids, migration ids and GPU indices can all sit in procedure locals, in the driver's own plain
// data (State.drv) and in State.sync / State.uapi, where a generic encoder cannot tell them from
// other numbers, and renaming them in one place but not in another would merge states that behave
// differently. Activity ids are the exception, because the model says where they are held: the
// explorer renames them into canonical ones before it encodes a state (explore/ActivityIds.ts,
// Expander.ts; the executor's LassoWatch does not). The counters that hand out fresh names
// (nextAct, nextMig, writeSeq) are stored but not hashed: two states equal in everything else
// differ only in which fresh name comes next, and the model only compares names for equality and
// order, which a fresh (larger) name keeps either way.
//
// The words come in segments (segments.ts): one per write-marked region of the state
// (model/touched.ts), lockdep's dependencies, the activities and the rest, each with its own 64-bit
// hash. A successor copies from its parent the words and hash of every segment its step did not
// write, and every activity but the one it stepped, so only what changed is walked and hashed
// again; the state's hash is the hash of its segments' hashes.
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { Activity, LockState, State } from '../model/types.js';
import {
  ACTS,
  ALL_SEGMENTS,
  BODY,
  EDGES,
  HASHES,
  K,
  LENGTHS,
  REST,
  SEGMENT_FIELDS,
  SEGMENTS,
} from './segments.js';
import { hash64, type Hash } from './hash64.js';
import { decodeState, type Decoded } from './decodeState.js';
import { Words } from './Words.js';

export class StateCodec {
  /** Words before this offset are stored but not hashed (the fresh-name counters). */
  static readonly HASHED_FROM = 3;
  /** The state's hash covers words [HASHED_FROM, HASHED_TO): the explorer word and the segment hashes. */
  static readonly HASHED_TO = LENGTHS;

  readonly w = new Words();
  private readonly sortedKeys: string[] = [];
  private readonly h: Hash = { hi: 0, lo: 0 };

  /**
   * @param template the initial state: constants (configuration, VRAM bases) come from it
   * @param primed lockdep's boot-time dependencies, the same in every state (not encoded)
   * @param rootProc the procedure every activity starts in; its locals are dead once it has started
   */
  constructor(
    private readonly template: State,
    private readonly primed: ReadonlyMap<string, LockEdge> = new Map(),
    private readonly rootProc = 'run_op',
  ) {}

  /**
   * Encodes the state and the lock-class dependencies recorded on its path into this.w; `extra` is
   * explorer bookkeeping hashed with it. With a parent (the encoded state src[from..] the step
   * started from, the segments the step wrote and the activity it stepped), an unwritten
   * segment, and every activity but the stepped one, is copied from it.
   */
  encode(
    s: State,
    extra: number,
    edges: ReadonlyMap<string, LockEdge> = this.primed,
    parent: Int32Array | null = null,
    parentAt = 0,
    written: number = ALL_SEGMENTS,
    stepped: number | null = null,
  ): void {
    const w = this.w;
    w.clear();
    w.push(s.nextMig);
    w.push(s.writeSeq);
    w.push(s.nextAct);
    w.push(extra);
    for (let k = HASHES; k < BODY; k++) w.push(0);
    let at = parentAt + BODY;
    for (let k = 0; k < K; k++) {
      const region = SEGMENTS[k] as number;
      const start = w.n;
      const len = parent ? (parent[parentAt + LENGTHS + k] as number) : 0;
      if (parent && ((written | ACTS | REST) & region) === 0) {
        w.copy(parent, at, len);
        w.buf[HASHES + 2 * k] = parent[parentAt + HASHES + 2 * k] as number;
        w.buf[HASHES + 2 * k + 1] = parent[parentAt + HASHES + 2 * k + 1] as number;
      } else {
        this.encodeSegment(k, s, edges, parent, at, stepped);
        hash64(w.buf, start, w.n, this.h);
        w.buf[HASHES + 2 * k] = this.h.hi;
        w.buf[HASHES + 2 * k + 1] = this.h.lo;
      }
      w.buf[LENGTHS + k] = w.n - start;
      at += len;
    }
  }

  /**
   * Whether the state is its parent's (the encoded state parent[parentAt..] a move started from)
   * again, decided without encoding it whole: a move that wrote no region and recorded no
   * dependency, whose activity has ended (an operation that ran to its end changing nothing, such
   * as a read of a mapped page: about a third of all moves), leaves every other segment as it was,
   * so only the explorer word, the activities' ids and the rest need comparing. False means "not
   * known". Overwrites this.w.
   */
  sameAsParent(
    s: State,
    extra: number,
    parent: Int32Array,
    parentAt: number,
    written: number,
    stepped: number,
  ): boolean {
    if ((written & ~(ACTS | REST)) !== 0 || parent[parentAt + 3] !== extra) return false;
    let at = parentAt + BODY;
    let restAt = 0;
    let restLen = 0;
    for (let k = 0; k < K; k++) {
      if (SEGMENTS[k] === REST) {
        restAt = at;
        restLen = parent[parentAt + LENGTHS + k] as number;
      } else if (SEGMENTS[k] === ACTS) {
        // Unstepped activities are unchanged (test/touched.test.ts), so equal ids in equal order,
        // the stepped one not among them, make equal words.
        const acts = s.acts;
        if (parent[at] !== acts.length) return false;
        let p = at + 1;
        for (const a of acts) {
          if (a.id === stepped || parent[p + 1] !== a.id) return false;
          p += 1 + (parent[p] as number);
        }
      }
      at += parent[parentAt + LENGTHS + k] as number;
    }
    const w = this.w;
    w.clear();
    this.encodeRest(s);
    if (w.n !== restLen) return false;
    for (let i = 0; i < w.n; i++) if (w.buf[i] !== parent[restAt + i]) return false;
    return true;
  }

  /** The hash of the state in this.w (of its explorer word and its segments' hashes). */
  hash(out: Hash): void {
    hash64(this.w.buf, StateCodec.HASHED_FROM, StateCodec.HASHED_TO, out);
  }

  private encodeSegment(
    k: number,
    s: State,
    edges: ReadonlyMap<string, LockEdge>,
    parent: Int32Array | null,
    at: number,
    stepped: number | null,
  ): void {
    const w = this.w;
    switch (SEGMENTS[k]) {
      case EDGES:
        this.encodeEdges(edges);
        return;
      case ACTS:
        this.encodeActs(s.acts, parent, at, stepped);
        return;
      case REST:
        this.encodeRest(s);
        return;
      default:
        for (const f of SEGMENT_FIELDS[k] as readonly (keyof State)[]) w.value(s[f]);
    }
  }

  private encodeRest(s: State): void {
    const w = this.w;
    w.value(s.migrations);
    this.encodeLocks(s.locks);
    this.sorted(s.counters);
    for (const key of this.sortedKeys) {
      w.str(key);
      w.push(s.counters[key] as number);
    }
    w.value(s.pagesToFree);
    w.value(s.reinitialised);
  }

  /** The nextAct of an encoded state: ids from it on are not in the state. */
  static nextActOf(src: Int32Array, from: number): number {
    return src[from + 2] as number;
  }

  /** The explorer bookkeeping word of an encoded state. */
  static extraOf(src: Int32Array, from: number): number {
    return src[from + 3] as number;
  }

  /** The keys of a record in sorted order, into this.sortedKeys (the count is written first). */
  private sorted(r: Record<string, unknown>): void {
    const keys = this.sortedKeys;
    keys.length = 0;
    for (const k in r) keys.push(k);
    if (keys.length > 1) keys.sort();
    this.w.push(keys.length);
  }

  /**
   * The activities, each as its length and its words. With the parent's activities segment at
   * parent[at..], an activity other than `stepped` is the parent's, unchanged (only its own steps
   * change an activity): its words are copied. Activities keep their relative order (new ones are
   * appended, finished ones removed), so one forward walk over the parent's finds them.
   */
  private encodeActs(
    acts: readonly Activity[],
    parent: Int32Array | null,
    at: number,
    stepped: number | null,
  ): void {
    const w = this.w;
    w.push(acts.length);
    let p = at + 1;
    let left = parent ? (parent[at] as number) : 0;
    for (const a of acts) {
      if (parent && stepped !== null && a.id !== stepped) {
        while (left > 0 && parent[p + 1] !== a.id) {
          p += 1 + (parent[p] as number);
          left--;
        }
        if (left > 0) {
          const len = 1 + (parent[p] as number);
          w.copy(parent, p, len);
          p += len;
          left--;
          continue;
        }
      }
      const start = w.n;
      w.push(0);
      this.encodeAct(a);
      w.buf[start] = w.n - start - 1;
    }
  }

  private encodeAct(a: Activity): void {
    const w = this.w;
    w.push(a.id);
    w.str(a.agent);
    // Only whether it runs a program operation matters (the explorer's own index is its path).
    w.push(a.op >= 0 ? 0 : -1);
    w.value(a.wait);
    w.push(a.held.length);
    for (const l of a.held) w.str(l);
    // The CPU it keeps and the CPU its work is bound to (model/cpus.ts): who may run next depends on them.
    w.push(a.cpu);
    w.push(a.bound);
    w.push(a.frames.length);
    for (let k = 0; k < a.frames.length; k++) {
      const f = a.frames[k];
      if (!f) continue;
      w.str(f.fn);
      w.str(f.pc);
      // The root procedure reads its operation only at its start: afterwards the operation is history.
      if (k === 0 && f.fn === this.rootProc && f.pc !== 'start') {
        w.push(0);
        continue;
      }
      w.push(1);
      w.record(f.fn, f.l);
      w.value(f.r);
    }
  }

  /** Locks by sorted name: the table only grows and nothing iterates it, so its order is history. */
  private encodeLocks(locks: Record<string, LockState>): void {
    const w = this.w;
    this.sorted(locks);
    for (const name of this.sortedKeys) {
      const l = locks[name] as LockState;
      w.str(name);
      w.push(l.w);
      w.push(l.r.length);
      for (const r of l.r) w.push(r);
    }
  }

  /**
   * The dependencies the path recorded, beyond the primed ones, as a sorted set of class pairs:
   * whether a later step closes a lockdep cycle depends on them, not on their witnesses.
   */
  private encodeEdges(edges: ReadonlyMap<string, LockEdge>): void {
    const w = this.w;
    const keys = this.sortedKeys;
    keys.length = 0;
    for (const [k, e] of edges) if (!e.primed) keys.push(k);
    if (keys.length > 1) keys.sort();
    w.push(keys.length);
    for (const k of keys) {
      const e = edges.get(k) as LockEdge;
      w.str(e.from);
      w.str(e.to);
    }
  }

  /**
   * Rebuilds a state and its recorded dependencies from its words (src[from..]). With `kept` (a
   * decoded copy of the same words that one step changed since, writing `written` and stepping
   * activity `stepped`), only what that step wrote is decoded again, and kept's other parts are
   * reused.
   */
  decode(
    src: Int32Array,
    from: number,
    kept: Decoded | null = null,
    written: number = ALL_SEGMENTS,
    stepped: number | null = null,
  ): Decoded {
    return decodeState(this.w, this.template, this.primed, src, from, kept, written, stepped);
  }
}
