// The explorer's building blocks: the alphabet, the canonical state codec (what it keeps, what it
// renumbers, and that a decoded state behaves exactly like the original), the visited set.
import { describe, expect, it } from 'vitest';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import { ConfigSchema } from '../model/config.js';
import { OP_KINDS, OpSchema } from '../model/ops.js';
import type { State } from '../model/types.js';
import { explore } from '../explore/explore.js';
import { opAlphabet } from '../explore/opAlphabet.js';
import { SCOPES, scopeByName } from '../explore/scopes.js';
import { StateCodec } from '../explore/StateCodec.js';
import { STATE_FIELDS } from '../explore/stateFields.js';
import { Transitions } from '../explore/Transitions.js';
import { VisitedSet } from '../explore/VisitedSet.js';

function scope(name: string) {
  const s = scopeByName(name);
  if (!s) throw new Error(name);
  return s;
}

function words(codec: StateCodec, s: State, extra = 0): number[] {
  codec.encode(s, extra);
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
  it('enumerates every operation kind with operands the program schema accepts, at every scope', () => {
    for (const sc of SCOPES) {
      const ops = opAlphabet(sc);
      for (const kind of OP_KINDS) expect(ops.some((o) => o.op === kind)).toBe(true);
      for (const op of ops) expect(OpSchema.safeParse(op).success).toBe(true);
      expect(new Set(ops.map((o) => JSON.stringify(o))).size).toBe(ops.length);
    }
  });
});

describe('state codec', () => {
  it('a decoded state encodes to the same words and takes every move to the same successor', () => {
    for (const d of BUILTIN_DRIVERS)
      for (const sc of SCOPES) {
        const t = new Transitions(d, sc);
        const codec = new StateCodec(t.initial(), t.agentIndex);
        const pick = rng(7);
        for (let walk = 0; walk < 25; walk++) {
          let s = t.initial();
          for (let k = 0; k < 8; k++) {
            const w = words(codec, s);
            const copy = codec.decode(Int32Array.from(w), 0);
            expect(words(codec, copy)).toEqual(w);
            const moves: Array<[number, number]> = [
              ...t.runnable(s).map((a): [number, number] => [a, -1]),
              ...t.startable(s, 0, true).map((op): [number, number] => [t.agentOfOp(op), op]),
            ];
            if (moves.length === 0) break;
            const [agent, op] = moves[pick(moves.length)] as [number, number];
            const a = t.apply(s, agent, op, []);
            const b = t.apply(codec.decode(Int32Array.from(w), 0), agent, op, []);
            expect(b.oops).toBe(a.oops);
            expect(b.events).toEqual(a.events);
            if (a.oops !== null) break;
            expect(words(codec, b.s)).toEqual(words(codec, a.s));
            s = a.s;
          }
        }
      }
  });

  it('written values and activity ids matter only up to renaming', () => {
    const t = new Transitions(reference, scope('tiny'));
    const codec = new StateCodec(t.initial(), t.agentIndex);
    const mmap = opIndex(t, (o) => o.op === 'mmap' && o.pages === 1 && o.prot === 'rw' && !o.shared);
    const write = opIndex(t, (o) => o.op === 'cpu_write' && o.vma === 0 && o.off === 0);
    const once = t.initial();
    t.apply(once, 0, mmap, []);
    t.apply(once, 0, write, []);
    const twice = t.initial();
    t.apply(twice, 0, mmap, []);
    t.apply(twice, 0, write, []);
    t.apply(twice, 0, write, []);
    expect(twice.writeSeq).not.toBe(once.writeSeq);
    expect(twice.nextAct).not.toBe(once.nextAct);
    expect(words(codec, twice)).toEqual(words(codec, once));
  });

  it('every field classified as hashed changes the words when it changes', () => {
    const t = new Transitions(reference, scope('tiny'));
    const codec = new StateCodec(t.initial(), t.agentIndex);
    // A GPU write fault stopped mid-migration: activities, frames, locks, a migration in flight.
    const s = t.initial();
    t.apply(
      s,
      0,
      opIndex(t, (o) => o.op === 'mmap' && o.pages === 2 && o.prot === 'rw' && !o.shared),
      [],
    );
    t.apply(
      s,
      0,
      opIndex(t, (o) => o.op === 'cpu_write' && o.vma === 0 && o.off === 0),
      [],
    );
    t.apply(
      s,
      1,
      opIndex(t, (o) => o.op === 'gpu_write' && o.vma === 0 && o.off === 0),
      [],
    );
    const proc = s.procs[0];
    const act = s.acts[0];
    const samples: Record<string, object | undefined> = {
      Page: s.phys[1],
      Process: proc,
      Vma: proc?.vmas[0],
      Notifier: s.notifiers[0],
      Migration: s.migrations[0],
      MigratePfn: s.migrations[0]?.src[0],
      Activity: act,
      Frame: act?.frames[act.frames.length - 1],
    };
    const base = words(codec, s);
    let checked = 0;
    for (const [type, rec] of Object.entries(samples)) {
      expect(rec, `no ${type} in the sample state`).toBeDefined();
      const fields = STATE_FIELDS[type as keyof typeof STATE_FIELDS] as Record<string, string>;
      for (const [field, how] of Object.entries(fields)) {
        if (how !== 'hashed') continue;
        const r = rec as Record<string, unknown>;
        const old = r[field];
        if (typeof old === 'number') r[field] = old + 1;
        else if (typeof old === 'boolean') r[field] = !old;
        else if (typeof old === 'string') r[field] = `${old}!`;
        else continue;
        expect(words(codec, s), `${type}.${field}`).not.toEqual(base);
        r[field] = old;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
    // Procedure locals and the driver's state are hashed too.
    const frame = act?.frames[act.frames.length - 1];
    if (!frame) throw new Error('no frame');
    frame.l['extra'] = 1;
    expect(words(codec, s)).not.toEqual(base);
    delete frame.l['extra'];
    (s.drv as { nids: Record<string, number> }).nids['9:9'] = 3;
    expect(words(codec, s)).not.toEqual(base);
  });
});

describe('plain data only', () => {
  it('refuses a driver that keeps a class instance in its state instead of silently dropping it', () => {
    const withMap = { ...reference, name: 'map-state', init: () => ({ nids: {}, cache: new Map() }) };
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
