// The chunk scheduler on a fake executor whose chunks finish in any order: the report is that of
// chunks 0..j for the lowest failing chunk j, whatever the capacity; errors are not lost.
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../check/checkDriver.js';
import { chunkJobs, CHUNK_RUNS, type ChunkJob } from '../check/chunkPlan.js';
import { runChunks, type ChunkExecutor } from '../check/runChunks.js';
import { caseFixture } from './caseFixture.js';

const base = { driver: 'd', profile: 'p', seed: 1 };

async function fake(
  capacity: number,
  failing: readonly number[],
  broken: readonly number[] = [],
): Promise<ChunkExecutor> {
  const cx = await caseFixture();
  const started: number[] = [];
  return {
    capacity,
    async run(job: ChunkJob): Promise<CheckReport> {
      started.push(job.index);
      // Later chunks finish first: the scheduler must not depend on completion order.
      await new Promise((r) => setTimeout(r, 2 * (20 - (job.index % 20))));
      if (broken.includes(job.index)) throw new Error(`chunk ${job.index} crashed`);
      const fails = failing.includes(job.index);
      return {
        ...base,
        runs: fails ? 7 : job.runs,
        steps: job.index,
        stats: { [`chunk ${job.index}`]: 1 },
        runsWith: {},
        interrupted: false,
        failure: fails
          ? {
              program: cx.program,
              violation: {
                code: 'invariant-violated',
                kind: 'invariant',
                invariant: `inv${job.index}`,
                cls: 'coherence',
                step: 0,
                finding: { expected: '', actual: '', message: '' },
              },
              trace: [],
              fastCheckOps: 1,
              fastCheckShrinks: 0,
              minimizeAttempts: 0,
              path: '6:0',
            }
          : null,
      };
    },
    async close() {},
  };
}

describe('runChunks', () => {
  it('reports the lowest failing chunk and exactly the chunks before it, for any capacity', async () => {
    const jobs = chunkJobs(1, 12 * CHUNK_RUNS);
    const reports = [];
    for (const capacity of [1, 2, 5])
      reports.push(await runChunks(base, jobs, await fake(capacity, [5, 3, 9])));
    for (const r of reports) {
      expect(r.failure?.violation.invariant).toBe('inv3');
      expect(r.failure?.path).toBe('3:6:0');
      expect(r.failedChunk).toBe(3);
      expect(r.chunks).toBe(4);
      expect(r.runs).toBe(3 * CHUNK_RUNS + 7);
      expect(Object.keys(r.stats).sort()).toEqual(['chunk 0', 'chunk 1', 'chunk 2', 'chunk 3']);
    }
    expect(reports[1]).toEqual(reports[0]);
    expect(reports[2]).toEqual(reports[0]);
  });

  it('shards take disjoint chunks that cover the run', () => {
    const all = chunkJobs(9, 10 * CHUNK_RUNS + 50);
    const parts = [1, 2, 3].map((i) => chunkJobs(9, 10 * CHUNK_RUNS + 50, { i, n: 3 }));
    expect(parts.flat().sort((a, b) => a.index - b.index)).toEqual(all);
    expect(all[10]?.runs).toBe(50);
    expect(new Set(all.map((j) => j.seed)).size).toBe(all.length);
  });

  it('throws a chunk error that matters, and ignores one after the failure', async () => {
    const jobs = chunkJobs(1, 8 * CHUNK_RUNS);
    await expect(runChunks(base, jobs, await fake(3, [4], [2]))).rejects.toThrow(/chunk 2 crashed/);
    const r = await runChunks(base, jobs, await fake(3, [1], [2]));
    expect(r.failedChunk).toBe(1);
  });
});
