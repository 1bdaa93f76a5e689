// run --stats prints the distribution of operations and outcomes the run exercised: every counter,
// not the first forty (xe's multi-device runs have more than forty outcome counters, and the ones
// cut were seed 002's ping-pong figures past 'gpu0 -> gpu2').
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../check/checkDriver.js';
import { formatStatsText } from '../report/text.js';

describe('formatStatsText', () => {
  it('prints every operation and outcome counter with its share of runs', () => {
    const stats: Record<string, number> = { 'op gpu_write': 10 };
    const runsWith: Record<string, number> = { 'op gpu_write': 4 };
    for (let i = 0; i < 60; i++) {
      const k = `xe: ping-pong (page migrated to devmem again, gpu${Math.floor(i / 3)} -> gpu${i % 3})`;
      stats[k] = i + 1;
      runsWith[k] = 1;
    }
    const r: CheckReport = {
      driver: 'xe',
      profile: 'multi-device',
      seed: 1,
      runs: 8,
      steps: 80,
      stats,
      runsWith,
      interrupted: false,
      failure: null,
    };
    const lines = formatStatsText(r).split('\n');
    expect(lines.filter((l) => l.includes('ping-pong'))).toHaveLength(60);
    expect(lines).toContain(
      `    ${'xe: ping-pong (page migrated to devmem again, gpu19 -> gpu2)'.padEnd(40)}       60  in  12.5% of runs`,
    );
    expect(lines[0]).toBe('  operations started:');
    expect(lines[1]).toBe(`    ${'op gpu_write'.padEnd(40)}       10  in  50.0% of runs`);
  });
});
