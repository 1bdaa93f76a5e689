// A deep copy of a State, written out per type: the explorer copies a state for every transition it
// tries, and a field-by-field copy is an order of magnitude faster than structuredClone. Every
// record is an explicit object literal of its type, so a new required field breaks compilation
// here until the copy handles it; driver data and procedure locals (opaque plain data) go through
// clonePlain.
import type {
  Activity,
  Frame,
  GpuPte,
  LockState,
  Migration,
  Notifier,
  Page,
  Process,
  Pte,
  Shm,
  State,
  Vma,
  Wait,
} from './types.js';

/** Copies any plain-data value (numbers, strings, booleans, null, undefined, arrays, plain objects). */
export function clonePlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = clonePlain(v[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = clonePlain((v as Record<string, unknown>)[k]);
  return out as T;
}

// PTEs are replaced, never mutated in place (types.ts marks them readonly), so copies share them.
const copyPt = (pt: readonly Pte[]): Pte[] => pt.slice();
const copyGpuPt = (t: readonly GpuPte[]): GpuPte[] => t.slice();

function copyPage(p: Page): Page {
  return {
    gpu: p.gpu,
    free: p.free,
    data: p.data,
    ref: p.ref,
    map: p.map,
    pin: p.pin,
    shm: p.shm,
    owner: p.owner,
  };
}

function copyVma(v: Vma): Vma {
  return { start: v.start, end: v.end, prot: v.prot, shm: v.shm, pgoff: v.pgoff };
}

function copyProcess(p: Process): Process {
  return {
    pid: p.pid,
    alive: p.alive,
    parent: p.parent,
    vmas: p.vmas.map(copyVma),
    pt: copyPt(p.pt),
    cell: p.cell.slice(),
    mmSeq: p.mmSeq,
    mmActive: p.mmActive,
    unmapping: p.unmapping.map((r) => r.slice()),
  };
}

function copyShm(m: Shm): Shm {
  return { pages: m.pages.slice(), cells: m.cells.slice(), users: m.users };
}

function copyNotifier(n: Notifier): Notifier {
  return { id: n.id, pid: n.pid, start: n.start, end: n.end, seq: n.seq, tag: n.tag, alive: n.alive };
}

function copyMigration(m: Migration): Migration {
  return {
    id: m.id,
    pid: m.pid,
    start: m.start,
    owner: m.owner,
    src: m.src.map((x) => ({ page: x.page, migrate: x.migrate, w: x.w, hole: x.hole })),
    dst: m.dst.slice(),
    faultPage: m.faultPage,
    done: m.done,
  };
}

function copyWait(w: Wait | null): Wait | null {
  if (w === null) return null;
  switch (w.k) {
    case 'lock':
      return { k: 'lock', name: w.name, mode: w.mode };
    case 'unlocked':
      return { k: 'unlocked', name: w.name };
    case 'notifier':
      return { k: 'notifier', id: w.id };
  }
}

function copyFrame(f: Frame): Frame {
  return { fn: f.fn, pc: f.pc, l: clonePlain(f.l), r: clonePlain(f.r) };
}

function copyActivity(a: Activity): Activity {
  return {
    id: a.id,
    agent: a.agent,
    op: a.op,
    frames: a.frames.map(copyFrame),
    wait: copyWait(a.wait),
    held: a.held.slice(),
    spin: a.spin,
  };
}

function copyLocks(locks: Record<string, LockState>): Record<string, LockState> {
  const out: Record<string, LockState> = {};
  for (const k in locks) {
    const l = locks[k] as LockState;
    out[k] = { w: l.w, r: l.r.slice() };
  }
  return out;
}

export function cloneState(s: State): State {
  return {
    cfg: s.cfg,
    writeSeq: s.writeSeq,
    phys: s.phys.map(copyPage),
    vramBase: s.vramBase,
    procs: s.procs.map(copyProcess),
    shms: s.shms.map(copyShm),
    cells: s.cells.map((c) => ({ v: c.v })),
    notifiers: s.notifiers.map(copyNotifier),
    gpuPt: s.gpuPt.map((byPid) => byPid.map(copyGpuPt)),
    migrations: s.migrations.map(copyMigration),
    nextMig: s.nextMig,
    locks: copyLocks(s.locks),
    acts: s.acts.map(copyActivity),
    nextAct: s.nextAct,
    faultIdx: s.faultIdx,
    drv: clonePlain(s.drv),
  };
}
