// A worker thread of `svmcheck explore --workers N`: loads the driver once, then expands the
// slices of each level the main thread posts (explore/Expander.ts, recorded by
// explore/workers/Recorder.ts) and posts back their records; between levels it learns the states
// the main thread found.
import { parentPort, workerData } from 'node:worker_threads';
import { ToolError } from '../check/stepFailure.js';
import { Expander, type CodecTables } from '../explore/Expander.js';
import type { Scope } from '../explore/scope.js';
import type { SliceJob } from '../explore/workers/exploreOnWorkers.js';
import { Recorder } from '../explore/workers/Recorder.js';
import type { Heartbeat } from './guardDriver.js';
import { loadDriver } from './loadDriver.js';

interface Setup {
  /** A built-in driver's name or the absolute path of a driver module. */
  driver: string;
  scope: Scope;
  symmetry: boolean;
  /** Partial-order reduction (explore/Expander.ts). */
  reduce: boolean;
  /** Canonical activity ids (explore/ActivityIds.ts). */
  canonicalIds: boolean;
  /** The step watchdog's heartbeat, for a driver loaded by path (cli/stepWatchdog.ts). */
  beat?: Heartbeat;
}

const port = parentPort;
if (!port) throw new Error('exploreWorker: not started as a worker thread');
const setup = workerData as Setup;
const { driver } = await loadDriver(setup.driver, setup.beat ?? null);
const x = new Expander(driver, setup.scope, {
  symmetry: setup.symmetry,
  reduce: setup.reduce,
  canonicalIds: setup.canonicalIds,
});
const rec = new Recorder();
// Records buffers the main thread moved back, to write the next slices' records into
// (explore/workers/exploreOnWorkers.ts says why they are reused).
const spare: Int32Array<ArrayBuffer>[] = [];

port.on(
  'message',
  (m: { learn: Int32Array; tables: CodecTables } | { id: number; job: SliceJob; reuse?: ArrayBuffer }) => {
    if ('learn' in m) {
      rec.learn(m.learn);
      x.learnTables(m.tables);
      return;
    }
    const { id, job, reuse } = m;
    if (reuse) spare.push(new Int32Array(reuse));
    try {
      rec.clear(job.keep, spare.pop());
      for (let i = 0; i < job.ids.length; i++)
        if (
          !x.expand(
            job.chunks[job.chunkOf[i] as number] as Int32Array,
            job.starts[i] as number,
            job.ids[i] as number,
            job.level,
            rec,
          )
        )
          break;
      // The whole buffer moves with its filled part; it comes back with a later slice.
      const records = rec.out.a.subarray(0, rec.out.n);
      port.postMessage({ id, records, problems: rec.problems, tables: x.tables() }, [records.buffer]);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const cause = e instanceof ToolError && e.cause instanceof Error ? e.cause : err;
      port.postMessage({
        id,
        error: {
          message: err.message,
          tool: e instanceof ToolError,
          cause: { name: cause.name, message: cause.message, stack: cause.stack ?? '' },
        },
      });
    }
  },
);
