// Decoding of the state codec's words back into a model state: the representative the explorer
// expands. Constants (configuration, VRAM bases) come from the initial state; history fields
// restart (faultIdx 0, spin false, a started root frame's operation gone).
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { edgeKey } from '../model/lockdep/lockEdge.js';
import type { Activity, Frame, LockState, State, Wait } from '../model/types.js';
import type { Words } from './Words.js';

/** Rebuilds a state from its words (src[from..]); constants come from the template (the initial state). */
export function decodeState(
  r: Words,
  t: State,
  primed: ReadonlyMap<string, LockEdge>,
  src: Int32Array,
  from: number,
): { s: State; edges: Map<string, LockEdge> } {
  r.load(src, from);
  const nextMig = r.next();
  const writeSeq = r.next();
  const nextAct = r.next();
  r.next(); // explorer bookkeeping
  const phys = r.readValue() as State['phys'];
  const procs = r.readValue() as State['procs'];
  const shms = r.readValue() as State['shms'];
  const cells = r.readValue() as State['cells'];
  const notifiers = r.readValue() as State['notifiers'];
  const gpuPt = r.readValue() as State['gpuPt'];
  const migrations = r.readValue() as State['migrations'];
  const acts = decodeActs(r);
  const locks: Record<string, LockState> = {};
  for (let n = r.next(), i = 0; i < n; i++) {
    const name = r.readStr();
    const wHolder = r.next();
    const rs: number[] = [];
    for (let k = r.next(), j = 0; j < k; j++) rs.push(r.next());
    locks[name] = { w: wHolder, r: rs };
  }
  const counters: Record<string, number> = {};
  for (let n = r.next(), i = 0; i < n; i++) {
    const k = r.readStr();
    counters[k] = r.next();
  }
  const drv = r.readValue();
  const pagesToFree = r.readValue() as number[];
  const reinitialised = r.readValue() as number[];
  const uapi = r.readValue() as State['uapi'];
  const sync = r.readValue() as State['sync'];
  const edges = new Map(primed);
  for (let n = r.next(), i = 0; i < n; i++) {
    const a = r.readStr();
    const b = r.readStr();
    // Only the classes are kept: the witness of a reported cycle comes from the replayed program.
    edges.set(edgeKey(a, b), {
      from: a,
      to: b,
      fromName: a,
      toName: b,
      how: 'lock',
      primed: false,
      step: -1,
      agent: '',
      op: -1,
      stack: [],
    });
  }
  const s: State = {
    cfg: t.cfg,
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
    nextAct,
    faultIdx: 0,
    drv,
    pagesToFree,
    reinitialised,
    counters,
    uapi,
    sync,
  };
  return { s, edges };
}

function decodeActs(r: Words): Activity[] {
  const out: Activity[] = [];
  for (let n = r.next(), i = 0; i < n; i++) {
    const id = r.next();
    const agent = r.readStr();
    const op = r.next();
    const wait = r.readValue() as Wait | null;
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
    out.push({ id, agent, op, frames, wait, held, spin: false });
  }
  return out;
}
