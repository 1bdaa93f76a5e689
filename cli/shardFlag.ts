import type { Shard } from '../check/chunkPlan.js';
import { UsageError } from './usageError.js';

/** --shard i/n: this job's share (1-based i) of n disjoint shares of the run's chunks. */
export function shardFlag(command: string, value: string | undefined): Shard {
  if (value === undefined) return { i: 1, n: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || n > 4096 || i < 1 || i > n)
    throw new UsageError(
      `svmcheck ${command}: --shard takes i/n with 1 <= i <= n <= 4096 (this job's share of n), got '${value}'`,
    );
  return { i, n };
}
