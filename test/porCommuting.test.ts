// bench/porCommuting.ts measures how far any partial-order reduction could go at a scope, from the
// states themselves: which moves of different agents commute, and an optimistic reduction that takes
// an agent's moves alone wherever they all commute with the others'. It explores the explorer's own
// states (the same count as explore()); where steps do commute (the counting mirror's local steps)
// it finds them and reduces; on a built-in driver it finds what the bench reports, with activity
// ids as spawned and canonical (the explorer's default).
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { porCommuting } from '../bench/porCommuting.js';
import { counting, countingScope } from './countingMirror.js';

describe('porCommuting', () => {
  it('walks the states explore() walks, and finds the counting steps commuting', () => {
    const c = porCommuting(counting, countingScope, 4);
    const full = explore(counting, countingScope, {
      depth: 4,
      maxStates: 1_000_000,
      symmetry: true,
      canonicalIds: false,
    });
    expect(c.distinct).toBe(full.distinct);
    expect(c.commuting).toBeGreaterThan(0);
    expect(c.commutingPairs).toBeGreaterThan(0);
    expect(c.commutingPairs).toBeLessThan(c.pairs);
    expect(c.oracleDistinct).toBeLessThan(c.distinct);
  });

  it('on reference at two-threads, depth 3: as explore() counts, no agent commuting with all others, pairs apart by activity ids only', () => {
    const d = builtinDriver('reference');
    const scope = scopeByName('two-threads');
    if (!d || !scope) throw new Error('no reference or two-threads');
    const c = porCommuting(d, scope, 3);
    expect(c.distinct).toBe(
      explore(d, scope, { depth: 3, maxStates: 1_000_000, symmetry: true, canonicalIds: false }).distinct,
    );
    expect(c.pairs).toBeGreaterThan(0);
    expect(c.commuting).toBe(0);
    expect(c.oracleDistinct).toBe(c.distinct);
    // Starting operations in either order names their activities differently (ids in spawn order).
    expect(c.idsOnly).toBeGreaterThan(0);
    expect(c.idsOnly).toBeLessThanOrEqual(c.pairs - c.commutingPairs);
  });

  it('with canonical activity ids, as explore() counts: no pair apart by ids only, more pairs commuting', () => {
    const d = builtinDriver('reference');
    const scope = scopeByName('two-threads');
    if (!d || !scope) throw new Error('no reference or two-threads');
    const spawnOrder = porCommuting(d, scope, 3);
    const c = porCommuting(d, scope, 3, { canonicalIds: true });
    expect(c.distinct).toBe(explore(d, scope, { depth: 3, maxStates: 1_000_000, symmetry: true }).distinct);
    expect(c.distinct).toBeLessThan(spawnOrder.distinct);
    expect(c.idsOnly).toBe(0);
    expect(c.commutingPairs).toBeGreaterThan(spawnOrder.commutingPairs);
  });
});
