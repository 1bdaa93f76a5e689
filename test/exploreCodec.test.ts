// The explorer's building blocks: the alphabet, the canonical state codec (what it keeps, what it
// stores without hashing, and that a decoded state behaves exactly like the original), the visited set.
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../properties/catalog.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import { ConfigSchema } from '../model/config.js';
import { OP_KINDS, OpSchema } from '../model/ops.js';
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import type { Activity, State } from '../model/types.js';
import dmirror from '../drivers/dmirror/dmirror.js';
import { explore } from '../explore/explore.js';
import { opAlphabet } from '../explore/opAlphabet.js';
import { SCOPES, scopeByName, smallestScope } from '../explore/scopes.js';
import { StateCodec } from '../explore/StateCodec.js';
import { ACTS, EDGES, REST } from '../explore/segments.js';
import { STATE_FIELDS } from '../explore/stateFields.js';
import { Transitions } from '../explore/Transitions.js';
import { VisitedSet } from '../explore/VisitedSet.js';
import { PAGES, SYNC, UAPI, mut } from '../model/touched.js';

/** What a step threw, as text (null when it threw nothing). */
const thrownText = (a: { thrown: { e: unknown } | null }): string | null =>
  a.thrown === null ? null : String(a.thrown.e);

function scope(name: string) {
  const s = scopeByName(name);
  if (!s) throw new Error(name);
  return s;
}

function words(codec: StateCodec, s: State, edges?: ReadonlyMap<string, LockEdge>): number[] {
  codec.encode(s, 0, edges);
  return Array.from(codec.w.buf.subarray(0, codec.w.n));
}

/** Deterministic pseudo-random numbers. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x % n;
  };
}

/** The alphabet index of the first op matching the predicate. */
function opIndex(t: Transitions, f: (op: (typeof t.alphabet)[number]) => boolean): number {
  const i = t.alphabet.findIndex(f);
  if (i < 0) throw new Error('no such op');
  return i;
}

describe('scopes', () => {
  it('are valid configurations with distinct names, threads within what operations can name', () => {
    expect(new Set(SCOPES.map((s) => s.name)).size).toBe(SCOPES.length);
    for (const sc of SCOPES) {
      expect(ConfigSchema.safeParse(sc.config).success).toBe(true);
      expect(sc.threads).toBeGreaterThanOrEqual(1);
      expect(sc.depth).toBeGreaterThanOrEqual(1);
      expect(sc.faultsPerStep).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('op alphabet', () => {
  it('enumerates every operation kind in some scope, with operands the program schema accepts', () => {
    const kinds = new Set<string>();
    for (const sc of SCOPES) {
      const ops = opAlphabet(sc);
      for (const k of sc.kinds ?? OP_KINDS)
        expect(
          ops.some((o) => o.op === k),
          `${sc.name} ${k}`,
        ).toBe(true);
      for (const op of ops) {
        expect(OpSchema.safeParse(op).success).toBe(true);
        kinds.add(op.op);
      }
      expect(new Set(ops.map((o) => JSON.stringify(o))).size).toBe(ops.length);
    }
    for (const k of OP_KINDS) expect(kinds.has(k), k).toBe(true);
  });
});

/** Every driver the explorer is checked against: the built-ins and dmirror (a driver given by path). */
const DRIVERS = [...BUILTIN_DRIVERS, dmirror];

describe('state codec', () => {
  it('a decoded state encodes to the same words and takes every move to the same successor', () => {
    for (const d of DRIVERS) {
      const sc = smallestScope(d);
      const t = new Transitions(d, sc);
      const codec = new StateCodec(t.initial(), t.primed);
      const pick = rng(7);
      for (let walk = 0; walk < 12; walk++) {
        let s = t.initial();
        let edges = new Map(t.primed);
        for (let k = 0; k < 10; k++) {
          const w = words(codec, s, edges);
          const copy = codec.decode(Int32Array.from(w), 0);
          expect(words(codec, copy.s, copy.edges)).toEqual(w);
          const moves: Array<[number, number]> = [
            ...t.runnable(s).map((id): [number, number] => [id, -1]),
            ...t.startable(s, 0, true).map((op): [number, number] => [t.agentOfOp(op), op]),
          ];
          if (moves.length === 0) break;
          const [agent, op] = moves[pick(moves.length)] as [number, number];
          const a = t.apply(s, edges, agent, op, [], k);
          const c2 = codec.decode(Int32Array.from(w), 0);
          const b = t.apply(c2.s, c2.edges, agent, op, [], k);
          expect(thrownText(b), `${d.name}`).toBe(thrownText(a));
          expect(b.events).toEqual(a.events);
          if (a.thrown !== null) break;
          a.s.reinitialised.length = 0;
          b.s.reinitialised.length = 0;
          expect(words(codec, b.s, c2.edges), `${d.name} step ${k}`).toEqual(words(codec, a.s, edges));
          s = a.s;
          edges = new Map(edges);
        }
      }
    }
  });

  it("a successor encoded from its parent's unwritten segments and unstepped activities, and a copy decoded again only where a move wrote, equal full ones", () => {
    let sameSeen = 0;
    for (const d of DRIVERS) {
      const t = new Transitions(d, smallestScope(d));
      const codec = new StateCodec(t.initial(), t.primed);
      const pick = rng(11);
      let checked = 0;
      for (let walk = 0; walk < 24; walk++) {
        let parent = Int32Array.from(words(codec, t.initial(), t.primed));
        for (let k = 0; k < 14; k++) {
          const fresh = codec.decode(parent, 0);
          const moves: Array<[number, number]> = [
            ...t.runnable(fresh.s).map((id): [number, number] => [id, -1]),
            ...t.startable(fresh.s, 0, true).map((op): [number, number] => [t.agentOfOp(op), op]),
          ];
          if (moves.length === 0) break;
          // Two moves on one copy, as the explorer makes them: the second after decoding again what the first wrote.
          const [a1, op1] = moves[pick(moves.length)] as [number, number];
          const [a2, op2] = moves[pick(moves.length)] as [number, number];
          const known = fresh.edges.size;
          const r1 = t.apply(fresh.s, fresh.edges, a1, op1, [], k);
          if (r1.thrown !== null) break;
          r1.s.reinitialised.length = 0;
          const written = r1.written | (fresh.edges.size !== known ? EDGES : 0) | ACTS | REST;
          const full = words(codec, r1.s, fresh.edges);
          // What the explorer skips encoding: a state said to be its parent's again is, word for word past the counters.
          if (codec.sameAsParent(r1.s, 0, parent, 0, written, r1.stepped)) {
            expect(full.slice(3), `${d.name} step ${k}: same as parent`).toEqual(
              Array.from(parent.subarray(3)),
            );
            sameSeen++;
          }
          codec.encode(r1.s, 0, fresh.edges, parent, 0, written, r1.stepped);
          expect(Array.from(codec.w.buf.subarray(0, codec.w.n)), `${d.name} step ${k}`).toEqual(full);
          const again = codec.decode(parent, 0, fresh, written, r1.stepped);
          expect(words(codec, again.s, again.edges), `${d.name} step ${k}: decoded again`).toEqual(
            Array.from(parent),
          );
          const other = codec.decode(parent, 0);
          const r2 = t.apply(again.s, again.edges, a2, op2, [], k);
          const o2 = t.apply(other.s, other.edges, a2, op2, [], k);
          expect(thrownText(r2)).toBe(thrownText(o2));
          if (r2.thrown !== null) break;
          expect(words(codec, r2.s, again.edges)).toEqual(words(codec, o2.s, other.edges));
          parent = Int32Array.from(full);
          checked++;
        }
      }
      expect(checked, d.name).toBeGreaterThan(0);
    }
    expect(sameSeen).toBeGreaterThan(0);
  });

  it("takes a state for its parent's only when the rest, the activities and the explorer word are also the parent's", () => {
    const t = new Transitions(reference, scope('tiny'));
    const codec = new StateCodec(t.initial(), t.primed);
    const parent = Int32Array.from(words(codec, t.initial(), t.primed));
    const ended = 999;
    expect(codec.sameAsParent(codec.decode(parent, 0).s, 0, parent, 0, ACTS | REST, ended)).toBe(true);
    expect(codec.sameAsParent(codec.decode(parent, 0).s, 1, parent, 0, ACTS | REST, ended)).toBe(false);
    expect(codec.sameAsParent(codec.decode(parent, 0).s, 0, parent, 0, ACTS | REST | PAGES, ended)).toBe(
      false,
    );
    const locked = codec.decode(parent, 0).s;
    locked.locks['mmap_lock'] = { w: 1, r: [] };
    expect(codec.sameAsParent(locked, 0, parent, 0, ACTS | REST, ended)).toBe(false);
    const counted = codec.decode(parent, 0).s;
    counted.counters['faults'] = 1;
    expect(codec.sameAsParent(counted, 0, parent, 0, ACTS | REST, ended)).toBe(false);
    // A parent with an activity: one that has ended, or a new one in its place, is not the parent.
    const pick = rng(3);
    const s = t.initial();
    for (let k = 0; k < 50 && s.acts.length === 0; k++) {
      const ops = t.startable(s, 0, true);
      const op = ops[pick(ops.length)] as number;
      t.apply(s, new Map(t.primed), t.agentOfOp(op), op, [], k);
    }
    expect(s.acts.length).toBeGreaterThan(0);
    const busy = Int32Array.from(words(codec, s, t.primed));
    expect(codec.sameAsParent(codec.decode(busy, 0).s, 0, busy, 0, ACTS | REST, ended)).toBe(true);
    const gone = codec.decode(busy, 0).s;
    gone.acts = [];
    expect(codec.sameAsParent(gone, 0, busy, 0, ACTS | REST, ended)).toBe(false);
    const renamed = codec.decode(busy, 0).s;
    (renamed.acts[0] as Activity).id = 1000;
    expect(codec.sameAsParent(renamed, 0, busy, 0, ACTS | REST, ended)).toBe(false);
    const steppedOne = codec.decode(busy, 0).s;
    expect(codec.sameAsParent(steppedOne, 0, busy, 0, ACTS | REST, (steppedOne.acts[0] as Activity).id)).toBe(
      false,
    );
  });

  it('the fresh-name counters are stored but not hashed; names themselves are hashed', () => {
    const t = new Transitions(reference, scope('tiny'));
    const codec = new StateCodec(t.initial(), t.primed);
    const s = t.initial();
    const mmap = opIndex(t, (o) => o.op === 'mmap' && o.prot === 'rw' && !o.shared);
    const write = opIndex(t, (o) => o.op === 'cpu_write');
    t.apply(s, new Map(t.primed), 0, mmap, [], 0);
    t.apply(s, new Map(t.primed), 0, write, [], 1);
    const base = words(codec, s).slice(StateCodec.HASHED_FROM);
    s.writeSeq += 5;
    s.nextAct += 5;
    s.nextMig += 5;
    expect(words(codec, s).slice(StateCodec.HASHED_FROM)).toEqual(base);
    const page = s.phys.find((p) => !p.free && p.data > 0);
    if (!page) throw new Error('no written page');
    mut(PAGES, page).data += 1;
    expect(words(codec, s).slice(StateCodec.HASHED_FROM)).not.toEqual(base);
  });

  it('every field classified as hashed changes the words when it changes', () => {
    const t = new Transitions(reference, scope('svm-tiny'));
    const codec = new StateCodec(t.initial(), t.primed);
    // A GPU write fault stopped mid-way: activities, frames, locks, ranges, maybe a migration.
    const s = t.initial();
    const edges = new Map(t.primed);
    t.apply(
      s,
      edges,
      0,
      opIndex(t, (o) => o.op === 'mmap' && o.prot === 'rw' && !o.shared),
      [],
      0,
    );
    t.apply(
      s,
      edges,
      0,
      opIndex(t, (o) => o.op === 'cpu_write'),
      [],
      1,
    );
    t.apply(
      s,
      edges,
      1,
      opIndex(t, (o) => o.op === 'gpu_write'),
      [],
      2,
    );
    const proc = s.procs[0];
    const act = s.acts[0];
    const samples: Record<string, object | undefined> = {
      Page: s.phys[1],
      Process: proc,
      Vma: proc?.vmas[0],
      Notifier: s.notifiers[0],
      Activity: act,
      Frame: act?.frames[act.frames.length - 1],
    };
    const base = words(codec, s, edges);
    let checked = 0;
    for (const [type, rec] of Object.entries(samples)) {
      // A notifier exists only once the driver registered one: the other records must be there.
      if (type === 'Notifier' && !rec) continue;
      expect(rec, `no ${type} in the sample state`).toBeDefined();
      const fields = STATE_FIELDS[type as keyof typeof STATE_FIELDS] as Record<string, string>;
      for (const [field, how] of Object.entries(fields)) {
        if (how !== 'hashed') continue;
        const r = rec as Record<string, unknown>;
        const old = r[field];
        if (typeof old === 'number') r[field] = type === 'Activity' && field === 'op' ? -1 - old : old + 1;
        else if (typeof old === 'boolean') r[field] = !old;
        else if (typeof old === 'string') r[field] = `${old}!`;
        else continue;
        expect(words(codec, s, edges), `${type}.${field}`).not.toEqual(base);
        r[field] = old;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // Procedure locals, the driver's state, the ghost state, sync, counters and lockdep's edges too.
    const frame = act?.frames[act.frames.length - 1];
    if (!frame) throw new Error('no frame');
    const mutations: Array<[string, () => void, () => void]> = [
      ['locals', () => (frame.l['extra'] = 1), () => delete frame.l['extra']],
      [
        'drv',
        () => ((s.drv as Record<string, unknown>)['extra'] = 1),
        () => delete (s.drv as Record<string, unknown>)['extra'],
      ],
      [
        'uapi',
        () => mut(UAPI, s.uapi.inflight).push({ act: 0, pid: 0, start: 0, end: 1, attrs: [], before: '' }),
        () => mut(UAPI, s.uapi.inflight).pop(),
      ],
      [
        'sync',
        () =>
          mut(SYNC, s.sync.bos).push({
            id: 0,
            pid: 0,
            gpu: 0,
            idx: 0,
            released: false,
            page: -1,
            fences: [],
          }),
        () => mut(SYNC, s.sync.bos).pop(),
      ],
      ['counters', () => (s.counters['x'] = 1), () => delete s.counters['x']],
      ['pagesToFree', () => s.pagesToFree.push(1), () => s.pagesToFree.pop()],
    ];
    for (const [what, change, undo] of mutations) {
      change();
      expect(words(codec, s, edges), what).not.toEqual(base);
      undo();
    }
    const e2 = new Map(edges);
    e2.set('a -> b', {
      from: 'a',
      to: 'b',
      fromName: 'a',
      toName: 'b',
      how: 'lock',
      primed: false,
      step: 0,
      agent: '',
      op: -1,
      stack: [],
    });
    expect(words(codec, s, e2)).not.toEqual(base);
    expect(words(codec, s, edges)).toEqual(base);
  });
});

describe('plain data only', () => {
  it('refuses a driver that keeps a class instance in its state instead of silently dropping it', () => {
    const withMap = { ...reference, name: 'map-state', init: () => ({ cache: new Map() }) };
    expect(() => explore(withMap, scope('tiny'), { depth: 1, maxStates: 100, symmetry: true })).toThrow(
      /state codec: not plain data \(Map\)/,
    );
  });
});

describe('visited set', () => {
  it('remembers 64-bit hashes across growth, including (0, 0)', () => {
    const v = new VisitedSet(4);
    expect(v.add(0, 0)).toBe(true);
    expect(v.add(0, 0)).toBe(false);
    for (let i = 1; i < 1000; i++) expect(v.add(i * 7919, i)).toBe(true);
    for (let i = 1; i < 1000; i++) expect(v.add(i * 7919, i)).toBe(false);
    expect(v.has(5, 5)).toBe(false);
    expect(v.size).toBe(1000);
  });
});

describe('invariants checked once per distinct state', () => {
  // The explorer checks an invariant not marked `transition` only when a state is new: sound only
  // if the check reads nothing but the state it is given (not the step's events, not the pages the
  // step re-initialised, which are cleared before the state is encoded).
  it('read only the state unless marked transition', () => {
    for (const inv of INVARIANTS) {
      if (inv.transition) continue;
      const src = inv.check.toString();
      const params = (/^[^(]*\(([^)]*)\)/.exec(src)?.[1] ?? '').split(',').map((x) => x.trim());
      expect(params[1] === undefined || params[1].startsWith('_'), `${inv.id} reads the step's events`).toBe(
        true,
      );
      expect(src.includes('reinitialised'), `${inv.id} reads the re-initialised pages`).toBe(false);
    }
  });
});
