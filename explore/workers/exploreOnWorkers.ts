// `explore --workers N`: the same breadth-first search, its levels expanded on worker threads. Each
// level's frontier is cut into slices in order; a worker expands a slice (explore/Expander.ts, the
// code explore() runs in process) against every state known before the level, and records each
// successor (Recorder.ts); the main thread takes the slices' records in frontier order into the one
// Search (visited set, path records, fair-cycle graph), deciding there which states are new. So the
// states, their ids, the counts and the shortest counterexample are those of explore() for any N.
// The workers themselves (threads loading the driver) are the caller's: cli/exploreWorkerPool.ts.
import type { Driver } from '../../model/driver.js';
import type { Problem } from '../../properties/invariant.js';
import { Arena } from '../Arena.js';
import { Expander, type CodecTables } from '../Expander.js';
import type { ExploreOptions, ExploreResult } from '../explore.js';
import type { Hash } from '../hash64.js';
import type { Scope } from '../scope.js';
import { Search } from '../Search.js';
import { replayRecords } from './replayRecords.js';

/**
 * One slice of a level: the states chunks[chunkOf[i]][starts[i]..] with path ids ids[i], expanded at
 * depth `level`. The chunks are the frontier's own shared memory (read in place, never copied); the
 * index arrays are the job's own, moved to the worker that expands it (cli/exploreWorkerPool.ts).
 */
export interface SliceJob {
  level: number;
  /**
   * The states found will be expanded (a level below the last): their words are recorded. The
   * last level's states are only counted, as in process (Search.fresh), so their words stay behind.
   */
  keep: boolean;
  chunks: Int32Array[];
  chunkOf: Int32Array<ArrayBuffer>;
  starts: Int32Array<ArrayBuffer>;
  ids: Int32Array<ArrayBuffer>;
}

export interface SliceRecords {
  /**
   * The records, a view of the first words of a buffer the worker moved here: once they are taken,
   * the buffer goes back to that worker (ExplorePool.expand's `reuse`), so no level allocates fresh
   * memory for them (see exploreOnWorkers).
   */
  records: Int32Array;
  problems: Problem[];
  /** The strings and key lists the worker's codec met while encoding them. */
  tables: CodecTables;
}

/** Worker threads that each hold an Expander of the same driver, scope and options. */
export interface ExplorePool {
  readonly size: number;
  /**
   * Every worker adds these state hashes (hi, lo pairs) to what it knows, and these codec tables
   * to its codec's, before its next slice.
   */
  learn(hashes: Int32Array, tables: CodecTables): void;
  /**
   * Worker `w` expands the slice. `reuse`: a records buffer of that worker's, taken and moved back
   * for it to write a later slice's records into.
   */
  expand(w: number, job: SliceJob, reuse: ArrayBuffer | undefined): Promise<SliceRecords>;
}

/** Slices per worker and level: enough for a worker that finishes early to take more. */
const SLICES_PER_WORKER = 8;

export async function exploreOnWorkers(
  driver: Driver,
  scope: Scope,
  opts: ExploreOptions,
  pool: ExplorePool,
): Promise<ExploreResult> {
  if (opts.invariants) throw new Error('exploreOnWorkers: the workers check the built-in invariants only');
  const x = new Expander(driver, scope, opts);
  const h: Hash = { hi: 0, lo: 0 };
  const initial = x.initial(h);
  let frontier = new Arena([], true);
  frontier.append(initial, 0, initial.length, 0);
  const search = new Search(x.t, opts, { driver: driver.name, scope: scope.name }, h);
  pool.learn(Int32Array.of(h.hi, h.lo), x.tables());
  let spareChunks: Int32Array[] = [];
  // Per worker, its records buffers taken and not yet moved back (expandLevel).
  const spareRecords: ArrayBuffer[][] = Array.from({ length: pool.size }, () => []);
  for (let level = 0; level < opts.depth; level++) {
    if (frontier.count === 0) {
      search.exhausted();
      break;
    }
    search.beginLevel(level, spareChunks, true);
    const go = await expandLevel(search, x, frontier, level, opts.depth, pool, spareRecords);
    search.endLevel(go);
    if (!go) break;
    // The workers learn the states of the level they will expand next, and what the codecs of all
    // of them met encoding those (the main thread's codec holds every table: its own are new).
    pool.learn(search.fresh64.a.slice(0, search.fresh64.n), x.tables());
    spareChunks = frontier.release();
    frontier = search.next;
  }
  return search.result();
}

/**
 * The slices of one level, expanded on the pool and taken in order; false when the search stopped.
 * Each worker's records buffers are moved back to it once taken, and reused: new memory is slow to
 * fault in on this machine kind (touching 24 MiB of it took 68 ms, copying into touched memory
 * 1.5 ms), and a buffer allocated per slice showed in the workers' profiles as that.
 */
function expandLevel(
  search: Search,
  x: Expander,
  frontier: Arena,
  level: number,
  depth: number,
  pool: ExplorePool,
  spareRecords: ArrayBuffer[][],
): Promise<boolean> {
  const k = Math.min(frontier.count, pool.size * SLICES_PER_WORKER);
  const replies: ({ r: SliceRecords; w: number } | undefined)[] = new Array<
    { r: SliceRecords; w: number } | undefined
  >(k);
  let nextSlice = 0;
  let taken = 0;
  let go = true;
  let settled = false;
  return new Promise<boolean>((resolve, reject) => {
    const take = (): void => {
      while (go && taken < k) {
        const reply = replies[taken];
        if (!reply) return;
        replies[taken] = undefined;
        taken++;
        go = replayRecords(search, reply.r.records, reply.r.problems);
        spareRecords[reply.w]?.push(reply.r.records.buffer as ArrayBuffer);
      }
      if (!settled) {
        settled = true;
        resolve(go);
      }
    };
    const feed = (w: number): void => {
      if (!go || settled || nextSlice >= k) return;
      const j = nextSlice++;
      pool.expand(w, slice(frontier, level, level + 1 < depth, j, k), spareRecords[w]?.pop()).then(
        (r) => {
          x.learnTables(r.tables);
          replies[j] = { r, w };
          take();
          feed(w);
        },
        (e: unknown) => {
          if (!settled) {
            settled = true;
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        },
      );
    };
    for (let w = 0; w < pool.size; w++) feed(w);
  });
}

/** Slice j of k of the frontier: where its states are in the arena's (shared) chunks. */
function slice(frontier: Arena, level: number, keep: boolean, j: number, k: number): SliceJob {
  const from = Math.floor((frontier.count * j) / k);
  const to = Math.floor((frontier.count * (j + 1)) / k);
  const chunks: Int32Array[] = [];
  const chunkOf = new Int32Array(to - from);
  const starts = new Int32Array(to - from);
  const ids = new Int32Array(to - from);
  for (let i = from; i < to; i++) {
    const words = frontier.words(i);
    if (chunks[chunks.length - 1] !== words) chunks.push(words);
    chunkOf[i - from] = chunks.length - 1;
    starts[i - from] = frontier.start(i);
    ids[i - from] = frontier.node(i);
  }
  return { level, keep, chunks, chunkOf, starts, ids };
}
