// Decoding of the state codec's words back into a model state: the representative the explorer
// expands. Constants (configuration, VRAM bases) come from the initial state; history fields
// restart (faultIdx 0, spin false, a started root frame's operation gone).
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { edgeKey } from '../model/lockdep/lockEdge.js';
import { emptyLockTable } from '../model/locks.js';
import type { Activity, Frame, State, Wait } from '../model/types.js';
import type { Words } from './Words.js';
import { ALL_SEGMENTS, BODY, LENGTHS, REGION_SEGMENTS, SEGMENT_FIELDS, SEGMENTS } from './segments.js';

/** A decoded state and the lock-class dependencies recorded on its path. */
export interface Decoded {
  s: State;
  edges: Map<string, LockEdge>;
}

/**
 * Rebuilds a state from its words (src[from..]); constants come from the template (the initial
 * state). With `kept`, a decoded copy of the same words that one step has since changed, writing
 * `written` (segment bits) and stepping activity `stepped`: a segment it did not write, and an
 * activity it did not step, is taken from it instead of decoded again.
 */
export function decodeState(
  r: Words,
  t: State,
  primed: ReadonlyMap<string, LockEdge>,
  src: Int32Array,
  from: number,
  kept: Decoded | null = null,
  written = ALL_SEGMENTS,
  stepped: number | null = null,
): Decoded {
  const nextMig = src[from] as number;
  const writeSeq = src[from + 1] as number;
  const nextAct = src[from + 2] as number;
  r.load(src, from + BODY);
  const k = kept?.s;
  /** Whether segment i is decoded; if not, the cursor skips it and kept's copy serves. */
  const fresh = (i: number): boolean => {
    if (!k || (written & (SEGMENTS[i] as number)) !== 0) return true;
    r.at += src[from + LENGTHS + i] as number;
    return false;
  };
  // The regions' fields, in segments.ts's order.
  const part: Partial<Record<keyof State, unknown>> = {};
  for (let i = 0; i < REGION_SEGMENTS; i++) {
    const fields = SEGMENT_FIELDS[i] as readonly (keyof State)[];
    if (fresh(i) || !k) for (const f of fields) part[f] = r.readValue();
    else for (const f of fields) part[f] = k[f];
  }
  const edges = fresh(REGION_SEGMENTS) || !kept ? readEdges(r, primed) : kept.edges;
  const acts = decodeActs(r, k ? k.acts : null, stepped);
  // The rest (segment 10) is decoded every time.
  const migrations = r.readValue() as State['migrations'];
  const locks = emptyLockTable();
  for (let n = r.next(), i = 0; i < n; i++) {
    const name = r.readStr();
    const wHolder = r.next();
    const rs: number[] = [];
    for (let j = r.next(), x = 0; x < j; x++) rs.push(r.next());
    locks[name] = { w: wHolder, r: rs };
  }
  const counters: Record<string, number> = {};
  for (let n = r.next(), i = 0; i < n; i++) {
    const key = r.readStr();
    counters[key] = r.next();
  }
  const pagesToFree = r.readValue() as number[];
  const reinitialised = r.readValue() as number[];
  const s: State = {
    cfg: t.cfg,
    writeSeq,
    phys: part.phys as State['phys'],
    vramBase: t.vramBase,
    procs: part.procs as State['procs'],
    shms: part.shms as State['shms'],
    cells: part.cells as State['cells'],
    notifiers: part.notifiers as State['notifiers'],
    gpuPt: part.gpuPt as State['gpuPt'],
    migrations,
    nextMig,
    locks,
    acts,
    nextAct,
    faultIdx: 0,
    drv: part.drv,
    pagesToFree,
    reinitialised,
    counters,
    uapi: part.uapi as State['uapi'],
    sync: part.sync as State['sync'],
  };
  return { s, edges };
}

function readEdges(r: Words, primed: ReadonlyMap<string, LockEdge>): Map<string, LockEdge> {
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
  return edges;
}

/**
 * The activities; with `kept` (the activities of a decoded copy that one move changed), one that
 * move did not step is kept's object, which only its own steps change.
 */
function decodeActs(r: Words, kept: readonly Activity[] | null, stepped: number | null): Activity[] {
  const out: Activity[] = [];
  for (let n = r.next(), i = 0; i < n; i++) {
    const len = r.next();
    const id = r.next();
    const same = kept && stepped !== null && id !== stepped ? kept.find((a) => a.id === id) : undefined;
    if (same) {
      out.push(same);
      r.at += len - 1;
      continue;
    }
    const agent = r.readStr();
    const op = r.next();
    const wait = r.readValue() as Wait | null;
    const held: string[] = [];
    for (let k = r.next(), j = 0; j < k; j++) held.push(r.readStr());
    const cpu = r.next();
    const bound = r.next();
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
    out.push({ id, agent, op, frames, wait, held, spin: false, cpu, bound });
  }
  return out;
}
