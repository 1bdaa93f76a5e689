// The deliberately broken drivers the explorer finds in its scopes, breaking the invariant class
// each documents, with a counterexample the program executor replays step for step; breadth-first
// order makes it a shortest one. The table is what `npm run bench` measured (the explorer's
// shrinking table: findShortest, 200,000 distinct states per scope); it lists every catalog entry.
import { describe, expect, it } from 'vitest';
import { execute } from '../check/execute.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { explore } from '../explore/explore.js';
import { exploreCounterexample } from '../explore/exploreCounterexample.js';
import { scopeByName } from '../explore/scopes.js';
import { Transitions } from '../explore/Transitions.js';

/** Catalog entry → the scope the explorer finds it in and the length (moves) of the shortest path. */
const FOUND: ReadonlyArray<[string, string, number]> = [
  ['no-read-retry', 'tiny', 4],
  ['ignore-unmap', 'tiny', 4],
  ['mirror-no-set-seq', 'tiny', 4],
  ['mirror-ignore-clear', 'tiny', 4],
  ['kfd-legacy', 'svm-tiny', 3],
  ['svm-window-unclipped', 'svm-tiny', 3],
  ['svm-deferred-gpu-unmap', 'svm-tiny', 4],
  ['svm-no-retry-check', 'svm-tiny', 5],
  ['bo-leak-node', 'svm-tiny', 3],
  // The deepest: all of svm-tiny to depth 5 first (about 160,000 distinct states, seconds).
  ['svm-writable-by-vma', 'svm-tiny', 6],
  ['svm-gpu-ro-ignored', 'svm-flags', 5],
  ['mirror-free-on-unmap', 'tiny', 4],
  ['gpusvm-map-past-range', 'two-gpus', 3],
  // The targeted scopes (explore/scopes.ts): each restricts the alphabet to what its bugs are made of.
  ['kernel-swap-without-ref', 'two-threads', 6],
  ['foreign-device-page', 'two-hives', 5],
  ['svm-half-split', 'svm-three-pages', 3],
  ['svm-no-recursion-guard', 'svm-partial', 5],
  ['bo-partial-uncounted', 'svm-partial', 5],
  ['bo-double-unref-split', 'svm-munmap', 6],
  // About 114,000 distinct states.
  ['svm-stale-fault', 'svm-munmap', 7],
  ['bo-evict-one-range', 'svm-eviction', 9],
  // The longest path: a round trip to VRAM and back and to VRAM again (about 95,000 states).
  ['bo-reuse-referenced-page', 'svm-eviction', 13],
  // A livelock seen from one state: the only runnable activity steps back to where it was.
  ['mirror-stale-seq-retry', 'tiny', 5],
  ['svm-cow-child-sigbus', 'svm-fork', 9],
  // About 143,000 distinct states.
  ['kfd-cow-orphan-sigbus', 'svm-fork', 10],
  ['svm-drain-misses-soft-ring', 'svm-remap', 10],
  ['mirror-unbind-keeps-gpu-ptes', 'unbind', 5],
  // A lockup: under PREEMPT_NONE on one CPU set_attr polls while the deferred work waits for the CPU.
  ['svm-flush-busy-wait', 'svm-one-cpu', 5],
  ['fence-all-dma', 'fence-tiny', 1],
  ['fence-signal-alloc', 'fence-tiny', 2],
  ['fence-resv-inversion', 'fence-tiny', 2],
  ['fence-notifier-waits-hmm', 'fence-tiny', 3],
  ['fence-late-hmm-wait', 'fence-tiny', 3],
];

describe('explore, deliberately broken drivers', () => {
  it('finds every catalog entry', () => {
    const catalog = BUILTIN_DRIVERS.filter((d) => d.broken).map((d) => d.name);
    expect(FOUND.map(([name]) => name).sort()).toEqual(catalog.sort());
  });
  for (const [name, scopeName, length] of FOUND) {
    it(`finds ${name} in scope ${scopeName} at depth ${length}, and the program replays it step for step`, () => {
      const d = BUILTIN_DRIVERS.find((x) => x.name === name);
      const scope = scopeByName(scopeName);
      if (!d || !scope) throw new Error(`no driver ${name} or scope ${scopeName}`);
      const r = explore(d, scope, { depth: length, maxStates: 200_000, symmetry: true });
      const v = r.violation;
      if (!v) throw new Error(`${name}: no violation in scope ${scopeName} to depth ${length}`);
      expect(v.moves.length).toBe(length);
      expect(v.problem.cls).toBe(d.broken?.expects);
      // Shortest: the level before the violation was complete (breadth-first) and clean.
      expect(r.depthCompleted).toBe(length - 1);

      const cx = exploreCounterexample(d, scope, v, r.distinct);
      expect(cx.violation.invariant).toBe(v.problem.invariant);
      expect(cx.explored).toEqual({ scope: scope.name, depth: length, distinct: r.distinct });
      // The replay takes exactly the path's steps, agent by agent, and breaks at its last one.
      const t = new Transitions(d, scope);
      const run = execute(d, cx.program, { trace: true });
      expect(run.trace.length).toBe(length);
      v.moves.forEach((m, i) => {
        // A move that starts an operation names its agent; one that steps an activity names its id.
        if (m.op >= 0) expect(run.trace[i]?.agent).toBe(t.agents[m.agent]);
      });
      expect(run.violation?.invariant).toBe(v.problem.invariant);
      expect(run.violation?.step).toBe(v.problem.step);
    }, 60_000);
  }
});
