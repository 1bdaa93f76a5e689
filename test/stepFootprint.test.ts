// explore/stepFootprint.ts applies a move exactly as Transitions.apply does and records what it read
// and wrote; bench/porHeadroom.ts walks the explorer's own state space with it.
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { StateCodec } from '../explore/StateCodec.js';
import { stepFootprint } from '../explore/stepFootprint.js';
import { Transitions } from '../explore/Transitions.js';
import { porHeadroom } from '../bench/porHeadroom.js';

describe('stepFootprint', () => {
  it('leaves the state Transitions.apply leaves, and records the fields of the regions the step wrote', () => {
    const d = builtinDriver('mirror');
    const scope = scopeByName('tiny');
    if (!d || !scope) throw new Error('no mirror or tiny');
    const t = new Transitions(d, scope);
    const codec = new StateCodec(t.initial(), t.primed);
    const op = t.startable(t.initial(), 0, true)[0] as number;
    const plain = t.initial();
    t.apply(plain, new Map(t.primed), t.agentOfOp(op), op, [], 0);
    const recorded = t.initial();
    const f = stepFootprint(t, recorded, new Map(t.primed), t.agentOfOp(op), op, [], 0);
    codec.encode(plain, 0);
    const a = Array.from(codec.w.buf.subarray(0, codec.w.n));
    codec.encode(recorded, 0);
    expect(Array.from(codec.w.buf.subarray(0, codec.w.n))).toEqual(a);
    // The first operation is an mmap: it writes the process's VMAs (region mm) and reads the processes.
    expect(t.alphabet[op]?.op).toBe('mmap');
    expect(f.writes.has('procs')).toBe(true);
    expect(f.reads.has('procs')).toBe(true);
    expect(f.reads.has('cfg')).toBe(false);
  });

  it('porHeadroom walks the states explore() counts', () => {
    const d = builtinDriver('reference');
    const scope = scopeByName('two-threads');
    if (!d || !scope) throw new Error('no reference or two-threads');
    const h = porHeadroom(d, scope, 3);
    // porHeadroom walks states with the ids they were spawned with (explore --spawn-order-ids).
    const spawnOrder = { depth: 3, maxStates: 1e6, symmetry: true, canonicalIds: false };
    expect(h.distinct).toBe(explore(d, scope, spawnOrder).distinct);
    expect(h.choice).toBeGreaterThan(0);
    expect(h.ample).toBeLessThanOrEqual(h.invisible);
    expect(h.invisible).toBeLessThanOrEqual(h.invisibleToDeclared);
  });
});
