// A run's budget as fixed-size chunks, each a fast-check check of its own with a seed derived from
// (seed, chunk index). Shards take disjoint chunks (index mod n); workers run chunks in parallel
// and the failure reported is the lowest chunk's, so the result depends on neither.
export const CHUNK_RUNS = 200;

export interface ChunkJob {
  index: number;
  /** fast-check seed of this chunk. */
  seed: number;
  runs: number;
  /** fast-check path inside the chunk (replaying a failure). */
  path?: string;
}

export interface Shard {
  /** 1-based. */
  i: number;
  n: number;
}

/** The seed of chunk `index`: a 32-bit mix (murmur3's finalizer) of the run's seed and the index. */
function chunkSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** The chunk jobs of a run of `runs` runs in all (every shard together), in index order. */
export function chunkJobs(seed: number, runs: number, shard: Shard = { i: 1, n: 1 }): ChunkJob[] {
  const out: ChunkJob[] = [];
  const total = Math.ceil(runs / CHUNK_RUNS);
  for (let index = shard.i - 1; index < total; index += shard.n)
    out.push({ index, seed: chunkSeed(seed, index), runs: Math.min(CHUNK_RUNS, runs - index * CHUNK_RUNS) });
  return out;
}

/** The one job that replays a failure at `path` of chunk `index`. */
export function replayJob(seed: number, index: number, path: string): ChunkJob {
  return { index, seed: chunkSeed(seed, index), runs: CHUNK_RUNS, path };
}
