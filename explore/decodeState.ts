// Decoding of the state codec's words back into a model state: the representative the explorer
// expands. Constants (configuration, each page's GPU and owner) come from the initial state;
// renumbered names come back as their canonical numbers, and the counters that hand out fresh
// names restart above them.
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
import type { Words } from './Words.js';

const PROTS: readonly Prot[] = ['none', 'r', 'rw'];

/** Rebuilds a state from its words (src[from..]); constants come from the template (the initial state). */
export function decodeState(r: Words, t: State, src: Int32Array, from: number): State {
  r.load(src, from);
  const cfg: Config = t.cfg;
  const nextMig = r.next();
  r.next(); // explorer bookkeeping
  const procs = decodeProcs(r);
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
  const migrations = decodeMigrations(r);
  const acts = decodeActs(r);
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

function decodeProcs(r: Words): Process[] {
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

function decodeMigrations(r: Words): Migration[] {
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

function decodeActs(r: Words): Activity[] {
  const out: Activity[] = [];
  for (let n = r.next(), i = 0; i < n; i++) {
    const agent = r.readStr();
    const wait = decodeWait(r);
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

function decodeWait(r: Words): Wait | null {
  const k = r.next();
  if (k === 0) return null;
  if (k === 4) return { k: 'notifier', id: r.next() };
  const name = r.readStr();
  if (k === 3) return { k: 'unlocked', name };
  return { k: 'lock', name, mode: k === 1 ? 'r' : 'w' };
}
