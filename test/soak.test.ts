// svmcheck soak: every correct driver x every suite it runs x K seeds, each slot replayable with
// `svmcheck run --seed`; a pass says what it covered, a failing slot makes the soak fail.
import { describe, expect, it } from 'vitest';
import { inProcessExecutor } from '../check/inProcessExecutor.js';
import type { ChunkExecutor } from '../check/runChunks.js';
import { SOAK_SUITES, seedOf, soak, soakPairs, soakTotals } from '../check/soak.js';
import { BUILTIN_DRIVERS } from '../drivers/builtins.js';
import { kfd } from '../drivers/kfd.js';
import { mirror } from '../drivers/mirror.js';
import { noReadRetry } from '../drivers/broken/noReadRetry.js';
import type { Profile } from '../generators/profiles.js';
import type { Driver } from '../model/driver.js';
import { cli } from './cliHarness.js';

describe('soak', () => {
  it('covers every correct driver on every suite it runs, and no broken one', () => {
    const pairs = soakPairs(BUILTIN_DRIVERS).map((p) => `${p.driver.name}/${p.profile.name}`);
    for (const s of SOAK_SUITES) expect(pairs).toContain(`reference/${s}`);
    expect(pairs).toContain('fence-reference/fences');
    expect(pairs.some((p) => p.startsWith('no-read-retry/'))).toBe(false);
  });

  it('soaks a driver that follows XNACK (kfd) with XNACK on and with XNACK off, and on the xnack-off suite', () => {
    const pairs = soakPairs([kfd, mirror]).map(
      (p) => `${p.driver.name}/${p.profile.name}/${p.profile.xnack ?? '-'}`,
    );
    for (const s of SOAK_SUITES) {
      expect(pairs).toContain(`kfd/${s}/on`);
      expect(pairs).toContain(`kfd/${s}/off`);
      expect(pairs).toContain(`mirror/${s}/-`);
    }
    expect(pairs).toContain('kfd/xnack-off/off');
    expect(pairs.filter((p) => p.includes('xnack-off/'))).toEqual(['kfd/xnack-off/off']);
    expect(pairs).toHaveLength(SOAK_SUITES.length * 3 + 1);
  });

  it('--runs: each driver x suite runs exactly its runs, split over the seeds, and says it reached them', async () => {
    const r = await soak([mirror], {
      seconds: 600,
      runs: 301,
      seed: 3,
      seeds: 2,
      executor: (d, p) => inProcessExecutor(d, p),
    });
    expect(r.failures).toBe(0);
    expect(r.slots.every((s) => s.target === 151 && s.runs === 151)).toBe(true);
    const totals = soakTotals(r.slots);
    expect(totals.map((t) => t.suite)).toEqual([...SOAK_SUITES]);
    expect(totals.every((t) => t.reached && t.runs === 302 && t.seeds === 2)).toBe(true);
  });

  it("a run breaking one of a driver's open findings is tallied, and the slot goes on to its runs", async () => {
    // no-read-retry, told that the two invariants it breaks are open findings of its own: every slot
    // runs its 400 runs, those on the open findings counted; without openFindings it fails.
    const asOpen = { ...noReadRetry, openFindings: ['mirror-consistency', 'no-gpu-pte-after-munmap'] };
    delete asOpen.broken;
    const opts = {
      seconds: 120,
      runs: 400,
      seed: 1,
      seeds: 1,
      executor: (d: Driver, p: Profile) => inProcessExecutor(d, p),
    };
    const known = await soak([asOpen], opts);
    expect(known.failures).toBe(0);
    expect(known.slots.every((s) => s.runs === 400 && !s.failure)).toBe(true);
    const tally = (r: Record<string, number>): number => r['mirror-consistency'] ?? 0;
    const tallied = known.slots.reduce((a, s) => a + tally(s.knownRuns), 0);
    expect(tallied).toBeGreaterThan(0);
    expect(soakTotals(known.slots).reduce((a, t) => a + tally(t.knownRuns), 0)).toBe(tallied);
    const plain = { ...asOpen, openFindings: [] };
    const r = await soak([plain], opts);
    expect(r.failures).toBe(r.slots.filter((s) => s.failure).length);
    expect(r.failures).toBeGreaterThan(0);
    expect(r.slots.every((s) => Object.keys(s.knownRuns).length === 0)).toBe(true);
  });

  it('--runs: a slot cut short by its time share resumes after its last whole chunk in a second pass', async () => {
    // A fake executor: the first time the default suite runs, its first chunk takes its whole share
    // and ends cut short; every other chunk is instant. The second pass runs the default slot again
    // from chunk 0 (the cut chunk), so its runs are distinct programs and reach the target.
    const started: Array<{ suite: string; index: number }> = [];
    let defaultCalls = 0;
    const executor = (_d: Driver, p: Profile): ChunkExecutor => {
      const slow = p.name === 'default' && defaultCalls++ === 0;
      return {
        capacity: 1,
        async run(job, limits) {
          started.push({ suite: p.name, index: job.index });
          const cut = slow && job.index === 0;
          if (cut)
            await new Promise((r) => setTimeout(r, Math.max(0, (limits.stopAt ?? 0) - Date.now()) + 5));
          const runs = cut ? Math.floor(job.runs / 2) : job.runs;
          return {
            driver: 'mirror',
            profile: p.name,
            seed: job.seed,
            runs,
            steps: runs,
            stats: {},
            runsWith: {},
            interrupted: cut,
            failure: null,
          };
        },
        close: () => Promise.resolve(),
      };
    };
    const lines: string[] = [];
    const r = await soak([mirror], {
      seconds: 2,
      runs: 450,
      seed: 9,
      seeds: 1,
      executor,
      onSlot: (s) => lines.push(`${s.suite} ${s.runs}${s.resumed ? ' resumed' : ''}`),
    });
    const def = r.slots.find((s) => s.suite === 'default');
    expect(def?.runs).toBe(450);
    expect(def?.resumed).toBe(true);
    expect(soakTotals(r.slots).every((t) => t.reached)).toBe(true);
    expect(lines[0]).toBe('default 100');
    expect(lines.at(-1)).toBe('default 450 resumed');
    // The default slot's chunks: 0 cut in the first pass, then 0, 1, 2 in the second.
    expect(started.filter((j) => j.suite === 'default').map((j) => j.index)).toEqual([0, 0, 1, 2]);
  });

  it('derives distinct, reproducible seeds', () => {
    const seeds = [0, 1, 2, 3, 4].map((k) => seedOf(42, k));
    expect(new Set(seeds).size).toBe(5);
    expect(seedOf(42, 3)).toBe(seeds[3]);
  });

  it('reports a failing slot for a broken driver (the check can fail), with its seed to replay', async () => {
    // Stripped of its catalog entry, so the soak takes it for a correct driver.
    const unmarked = { ...noReadRetry };
    delete unmarked.broken;
    const r = await soak([unmarked], {
      seconds: 6,
      seed: 1,
      seeds: 1,
      executor: (d, p) => inProcessExecutor(d, p),
    });
    expect(r.failures).toBeGreaterThan(0);
    const bad = r.slots.find((s) => s.failure);
    expect(bad?.failure?.violation.cls).toBe('coherence');
  });

  it('svmcheck soak --json on the mirror: ok, one slot per suite, runs counted', async () => {
    const r = await cli('soak', '--driver', 'mirror', '--time', '6', '--seeds', '1', '--seed', '7', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { ok: boolean; slots: Array<{ suite: string; runs: number }> };
    expect(o.ok).toBe(true);
    expect(o.slots.map((s) => s.suite)).toEqual([...SOAK_SUITES]);
    expect(o.slots.reduce((a, s) => a + s.runs, 0)).toBeGreaterThan(0);
    expect(mirror.broken).toBeUndefined();
  });

  it('refuses a driver that is not a correct built-in, in one line, exit 2', async () => {
    const r = await cli('soak', '--driver', 'no-read-retry');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
