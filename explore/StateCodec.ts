// The canonical form of a model state as 32-bit words: what the explorer hashes, stores for its
// frontier (compact, and invisible to the garbage collector) and decodes to expand a state.
// Everything that can affect a future step, an invariant or the transitions offered is encoded
// (procedure frames and locals, locks, waits, notifier sequence numbers, the driver's state);
// history is left out, and names that only matter up to equality are renumbered by first
// occurrence (oracle cells, shmem objects, written values, activity ids). Two states with the same
// words behave alike from then on, so the decoded representative stands for both.
// stateFields.ts gives the treatment of every field and why.
import type { Activity, Frame, LockState, Prot, Shm, State, Wait } from '../model/types.js';
import { decodeState } from './decodeState.js';
import { Renumber } from './Renumber.js';
import { Words } from './Words.js';

const PROT_CODE: Record<Prot, number> = { none: 0, r: 1, rw: 2 };

export class StateCodec {
  /** Words before this offset are stored but not hashed (fields that only keep decoded states valid). */
  static readonly HASHED_FROM = 1;

  readonly w = new Words();
  private readonly cells = new Renumber();
  private readonly shms = new Renumber();
  private readonly values = new Renumber();
  /** Activities in canonical order (the first actCount entries), and their ids. */
  private readonly actOrder: Activity[] = [];
  private readonly actIds: number[] = [];
  private actCount = 0;

  /**
   * @param template the initial state: constants (configuration, pages' GPU and owner) come from it
   * @param agentRank canonical position of each agent (activities are ordered by it)
   * @param rootProc the procedure every activity starts in; its locals are dead once it has started
   */
  constructor(
    private readonly template: State,
    private readonly agentRank: ReadonlyMap<string, number>,
    private readonly rootProc = 'run_op',
  ) {}

  /** Encodes the state into this.w (words 0..w.n); `extra` is explorer bookkeeping hashed with it. */
  encode(s: State, extra: number): void {
    const w = this.w;
    w.clear();
    this.cells.reset();
    this.shms.reset();
    this.values.reset();
    // Not hashed: migration ids are only looked up, but a decoded state must not reuse a stale one.
    w.push(s.nextMig);
    w.push(extra);
    this.encodeProcs(s);
    this.encodePhys(s);
    this.encodeShms(s);
    const cells = this.cells.size;
    w.push(cells);
    for (let i = 0; i < cells; i++) w.push(this.value(s.cells[this.cells.order[i] as number]?.v ?? 0));
    this.encodeNotifiers(s);
    this.encodeGpuPts(s);
    this.encodeMigrations(s);
    this.encodeActs(s);
    this.encodeLocks(s);
    w.value(s.drv);
  }

  /** The explorer bookkeeping word of an encoded state. */
  static extraOf(src: Int32Array, from: number): number {
    return src[from + 1] as number;
  }

  private cell(raw: number): number {
    return raw < 0 ? -1 : this.cells.of(raw);
  }

  private shm(raw: number): number {
    return raw < 0 ? -1 : this.shms.of(raw);
  }

  /** Written values matter only up to equality: renumbered 1, 2, ...; 0 (never written) stays 0. */
  private value(v: number): number {
    return v === 0 ? 0 : this.values.of(v) + 1;
  }

  private encodeProcs(s: State): void {
    const w = this.w;
    w.push(s.procs.length);
    for (const p of s.procs) {
      w.push(p.pid);
      w.push(p.alive ? 1 : 0);
      w.push(p.parent);
      w.push(p.mmSeq);
      w.push(p.mmActive);
      w.push(p.unmapping.length);
      for (const r of p.unmapping) {
        w.push(r[0] ?? 0);
        w.push(r[1] ?? 0);
      }
      w.push(p.vmas.length);
      for (const v of p.vmas) {
        w.push(v.start);
        w.push(v.end);
        w.push(PROT_CODE[v.prot]);
        w.push(this.shm(v.shm));
        w.push(v.pgoff);
      }
      w.push(p.pt.length);
      for (const e of p.pt) {
        if (!e) {
          w.push(0);
          continue;
        }
        w.push((e.t === 'p' ? 1 : e.t === 'd' ? 2 : 3) | (e.w ? 4 : 0));
        w.push(e.page);
        if (e.t === 'm') w.push(e.dst);
      }
      for (const c of p.cell) w.push(this.cell(c));
    }
  }

  private encodePhys(s: State): void {
    const w = this.w;
    for (const pg of s.phys) {
      w.push(pg.ref);
      w.push(pg.map);
      w.push(pg.pin);
      if (pg.free) {
        // Allocation resets a free page: its stale contents are not part of the future.
        w.push(-2);
        continue;
      }
      w.push(this.shm(pg.shm));
      w.push(this.value(pg.data));
    }
  }

  private encodeShms(s: State): void {
    const w = this.w;
    // Numbering a shm's cells cannot add shms: the order is final here.
    const n = this.shms.size;
    w.push(n);
    for (let i = 0; i < n; i++) {
      const m = s.shms[this.shms.order[i] as number] as Shm;
      w.push(m.users);
      w.push(m.pages.length);
      for (const pg of m.pages) w.push(pg);
      w.push(m.cells.length);
      for (const c of m.cells) w.push(this.cell(c));
    }
  }

  private encodeNotifiers(s: State): void {
    const w = this.w;
    w.push(s.notifiers.length);
    for (const n of s.notifiers) {
      w.push(n.id);
      w.push(n.pid);
      w.push(n.start);
      w.push(n.end);
      w.push(n.seq);
      w.push(n.tag);
      w.push(n.alive ? 1 : 0);
    }
  }

  private encodeGpuPts(s: State): void {
    const w = this.w;
    for (const byPid of s.gpuPt) {
      w.push(byPid.length);
      for (const t of byPid) {
        w.push(t.length);
        for (const e of t) w.push(e ? e.page * 2 + (e.w ? 1 : 0) + 1 : 0);
      }
    }
  }

  private encodeMigrations(s: State): void {
    const w = this.w;
    w.push(s.migrations.length);
    for (const m of s.migrations) {
      w.push(m.id);
      w.push(m.pid);
      w.push(m.start);
      w.push(m.owner);
      w.push(m.faultPage);
      w.push(m.done ? 1 : 0);
      w.push(m.src.length);
      for (const x of m.src) {
        w.push(x.page);
        w.push((x.migrate ? 4 : 0) | (x.w ? 2 : 0) | (x.hole ? 1 : 0));
      }
      w.push(m.dst.length);
      for (const d of m.dst) w.push(d);
    }
  }

  private rank(a: Activity): number {
    return this.agentRank.get(a.agent) ?? 1 << 20;
  }

  private encodeActs(s: State): void {
    const w = this.w;
    const order = this.actOrder;
    const n = s.acts.length;
    // A handful of activities: insertion sort by agent rank (ties keep their order).
    for (let i = 0; i < n; i++) {
      const a = s.acts[i] as Activity;
      const r = this.rank(a);
      let j = i - 1;
      while (j >= 0 && this.rank(order[j] as Activity) > r) {
        order[j + 1] = order[j] as Activity;
        j--;
      }
      order[j + 1] = a;
    }
    this.actCount = n;
    for (let i = 0; i < n; i++) this.actIds[i] = (order[i] as Activity).id;
    w.push(n);
    for (let i = 0; i < n; i++) {
      const a = order[i] as Activity;
      w.str(a.agent);
      this.encodeWait(a.wait);
      w.push(a.held.length);
      for (const l of a.held) w.str(l);
      w.push(a.frames.length);
      for (let k = 0; k < a.frames.length; k++) {
        const f = a.frames[k] as Frame;
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
  }

  private encodeWait(x: Wait | null): void {
    const w = this.w;
    if (x === null) {
      w.push(0);
      return;
    }
    switch (x.k) {
      case 'lock':
        w.push(x.mode === 'r' ? 1 : 2);
        w.str(x.name);
        return;
      case 'unlocked':
        w.push(3);
        w.str(x.name);
        return;
      case 'notifier':
        w.push(4);
        w.push(x.id);
        return;
    }
  }

  private holder(id: number): number {
    if (id < 0) return -1;
    for (let i = 0; i < this.actCount; i++) if (this.actIds[i] === id) return i;
    return -2;
  }

  private encodeLocks(s: State): void {
    const w = this.w;
    const names = Object.keys(s.locks);
    if (names.length > 1) names.sort();
    w.push(names.length);
    for (const name of names) {
      const l = s.locks[name] as LockState;
      w.str(name);
      w.push(this.holder(l.w));
      w.push(l.r.length);
      if (l.r.length === 1) w.push(this.holder(l.r[0] as number));
      else if (l.r.length > 1)
        for (const r of l.r.map((id) => this.holder(id)).sort((a, b) => a - b)) w.push(r);
    }
  }

  /** Rebuilds a state from its words (src[from..]). */
  decode(src: Int32Array, from: number): State {
    return decodeState(this.w, this.template, src, from);
  }
}
