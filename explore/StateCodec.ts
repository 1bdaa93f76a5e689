// The canonical form of a model state as 32-bit words: what the explorer hashes, stores for its
// frontier (compact, and invisible to the garbage collector) and decodes to expand a state.
// Everything that can affect a future step, an invariant or the transitions offered is encoded
// (procedure frames and locals, locks, waits, notifier sequence numbers, the driver's state);
// history is left out, and names that only matter up to equality are renumbered by first
// occurrence (oracle cells, shmem objects, written values, activity ids). Two states with the same
// words behave alike from then on, so the decoded representative stands for both.
// stateFields.ts gives the treatment of every field and why.
import type {
  Activity,
  Config,
  Frame,
  GpuPte,
  LockState,
  Migration,
  MigratePfn,
  Notifier,
  Page,
  Process,
  Prot,
  Pte,
  Shm,
  State,
  Vma,
  Wait,
} from '../model/types.js';
import { Renumber } from './Renumber.js';
import { Words } from './Words.js';

const PROTS: readonly Prot[] = ['none', 'r', 'rw'];
const PROT_CODE: Record<Prot, number> = { none: 0, r: 1, rw: 2 };

/** Words before this offset are stored but not hashed (fields that only keep decoded states valid). */
export const HASHED_FROM = 1;

export class StateCodec {
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
    const r = this.w;
    r.load(src, from);
    const t = this.template;
    const cfg: Config = t.cfg;
    const nextMig = r.next();
    r.next(); // explorer bookkeeping
    const procs = this.decodeProcs();
    const phys: Page[] = t.phys.map((tp) => {
      const ref = r.next();
      const map = r.next();
      const pin = r.next();
      const shm = r.next();
      if (shm === -2) return { gpu: tp.gpu, free: true, data: 0, ref, map, pin, shm: -1, owner: tp.owner };
      return { gpu: tp.gpu, free: false, data: r.next(), ref, map, pin, shm, owner: tp.owner };
    });
    const shms: Shm[] = [];
    for (let n = r.next(), i = 0; i < n; i++) {
      const users = r.next();
      const len = r.next();
      const pages: number[] = [];
      for (let j = 0; j < len; j++) pages.push(r.next());
      const cells: number[] = [];
      for (let k = r.next(), j = 0; j < k; j++) cells.push(r.next());
      shms.push({ pages, cells, users });
    }
    let writeSeq = 0;
    const cells = [];
    for (let n = r.next(), i = 0; i < n; i++) {
      const v = r.next();
      if (v > writeSeq) writeSeq = v;
      cells.push({ v });
    }
    for (const pg of phys) if (pg.data > writeSeq) writeSeq = pg.data;
    const notifiers: Notifier[] = [];
    for (let n = r.next(), i = 0; i < n; i++)
      notifiers.push({
        id: r.next(),
        pid: r.next(),
        start: r.next(),
        end: r.next(),
        seq: r.next(),
        tag: r.next(),
        alive: r.next() === 1,
      });
    const gpuPt: GpuPte[][][] = cfg.gpus.map(() => {
      const byPid: GpuPte[][] = [];
      for (let n = r.next(), i = 0; i < n; i++) {
        const tbl: GpuPte[] = [];
        for (let len = r.next(), j = 0; j < len; j++) {
          const x = r.next();
          tbl.push(x === 0 ? null : { page: (x - 1) >> 1, w: ((x - 1) & 1) === 1 });
        }
        byPid.push(tbl);
      }
      return byPid;
    });
    const migrations = this.decodeMigrations();
    const acts = this.decodeActs();
    const locks: Record<string, LockState> = {};
    for (let n = r.next(), i = 0; i < n; i++) {
      const name = r.readStr();
      const wHolder = r.next();
      const rs: number[] = [];
      for (let k = r.next(), j = 0; j < k; j++) rs.push(r.next());
      locks[name] = { w: wHolder, r: rs };
    }
    const drv = r.readValue();
    return {
      cfg,
      writeSeq,
      phys,
      vramBase: t.vramBase,
      procs,
      shms,
      cells,
      notifiers,
      gpuPt,
      migrations,
      nextMig,
      locks,
      acts,
      nextAct: acts.length,
      faultIdx: 0,
      drv,
    };
  }

  private decodeProcs(): Process[] {
    const r = this.w;
    const out: Process[] = [];
    for (let n = r.next(), i = 0; i < n; i++) {
      const pid = r.next();
      const alive = r.next() === 1;
      const parent = r.next();
      const mmSeq = r.next();
      const mmActive = r.next();
      const unmapping: number[][] = [];
      for (let k = r.next(), j = 0; j < k; j++) unmapping.push([r.next(), r.next()]);
      const vmas: Vma[] = [];
      for (let k = r.next(), j = 0; j < k; j++)
        vmas.push({
          start: r.next(),
          end: r.next(),
          prot: PROTS[r.next()] as Prot,
          shm: r.next(),
          pgoff: r.next(),
        });
      const len = r.next();
      const pt: Pte[] = [];
      for (let j = 0; j < len; j++) {
        const x = r.next();
        if (x === 0) {
          pt.push(null);
          continue;
        }
        const wr = (x & 4) !== 0;
        const kind = x & 3;
        const page = r.next();
        pt.push(
          kind === 1
            ? { t: 'p', page, w: wr }
            : kind === 2
              ? { t: 'd', page, w: wr }
              : { t: 'm', page, w: wr, dst: r.next() },
        );
      }
      const cell: number[] = [];
      for (let j = 0; j < len; j++) cell.push(r.next());
      out.push({ pid, alive, parent, vmas, pt, cell, mmSeq, mmActive, unmapping });
    }
    return out;
  }

  private decodeMigrations(): Migration[] {
    const r = this.w;
    const out: Migration[] = [];
    for (let n = r.next(), i = 0; i < n; i++) {
      const id = r.next();
      const pid = r.next();
      const start = r.next();
      const owner = r.next();
      const faultPage = r.next();
      const done = r.next() === 1;
      const src: MigratePfn[] = [];
      for (let k = r.next(), j = 0; j < k; j++) {
        const page = r.next();
        const f = r.next();
        src.push({ page, migrate: (f & 4) !== 0, w: (f & 2) !== 0, hole: (f & 1) !== 0 });
      }
      const dst: number[] = [];
      for (let k = r.next(), j = 0; j < k; j++) dst.push(r.next());
      out.push({ id, pid, start, owner, src, dst, faultPage, done });
    }
    return out;
  }

  private decodeActs(): Activity[] {
    const r = this.w;
    const out: Activity[] = [];
    for (let n = r.next(), i = 0; i < n; i++) {
      const agent = r.readStr();
      const wait = this.decodeWait();
      const held: string[] = [];
      for (let k = r.next(), j = 0; j < k; j++) held.push(r.readStr());
      const frames: Frame[] = [];
      for (let k = r.next(), j = 0; j < k; j++) {
        const fn = r.readStr();
        const pc = r.readStr();
        if (r.next() === 0) {
          frames.push({ fn, pc, l: {}, r: undefined });
          continue;
        }
        const l = r.readRecord();
        frames.push({ fn, pc, l, r: r.readValue() });
      }
      out.push({ id: i, agent, op: -1, frames, wait, held, spin: false });
    }
    return out;
  }

  private decodeWait(): Wait | null {
    const r = this.w;
    const k = r.next();
    if (k === 0) return null;
    if (k === 4) return { k: 'notifier', id: r.next() };
    const name = r.readStr();
    if (k === 3) return { k: 'unlocked', name };
    return { k: 'lock', name, mode: k === 1 ? 'r' : 'w' };
  }
}
