// The main thread's side of a level expanded on worker threads: a worker's record stream
// (Recorder.ts) taken into the Search in order, exactly as the in-process expansion would have
// handed it each successor. False when the search stopped (a violation, or --max-states).
import type { Problem } from '../../properties/invariant.js';
import type { Search } from '../Search.js';
import type { Move } from '../Transitions.js';
import { R } from './Recorder.js';

export function replayRecords(search: Search, rec: Int32Array, problems: readonly Problem[]): boolean {
  const h = { hi: 0, lo: 0 };
  let i = 0;
  const int = (): number => rec[i++] as number;
  const move = (): { from: number; move: Move } => {
    const from = int();
    const agent = int();
    const op = int();
    const nf = int();
    const faults: number[] = [];
    for (let k = 0; k < nf; k++) faults.push(int());
    return { from, move: { agent, op, faults } };
  };
  const problem = (): Problem => problems[int()] as Problem;
  while (i < rec.length) {
    const kind = int();
    switch (kind) {
      case R.enabled: {
        const node = int();
        const ample = int() === 1;
        const runnable = Array.from({ length: int() }, int);
        const noCpu = Array.from({ length: int() }, int);
        search.enabled(node, runnable, noCpu, ample);
        break;
      }
      case R.notModelled:
        search.notModelled();
        break;
      case R.failed: {
        const m = move();
        return search.failed(m.from, m.move, problem());
      }
      case R.self: {
        const m = move();
        search.self(m.from, m.move);
        break;
      }
      case R.known: {
        const m = move();
        h.hi = int();
        h.lo = int();
        // The worker knew it from the levels before: so does the search.
        if (search.reached(m.from, m.move, h))
          throw new Error('explore workers: a state a worker knew is new');
        break;
      }
      case R.fresh: {
        const m = move();
        h.hi = int();
        h.lo = int();
        const n = int();
        const at = i;
        i += n;
        if (search.reached(m.from, m.move, h) && !search.fresh(rec.subarray(at, at + n), n)) return false;
        break;
      }
      case R.freshFailed: {
        const m = move();
        h.hi = int();
        h.lo = int();
        const p = problem();
        if (search.reached(m.from, m.move, h)) return search.freshFailed(p);
        break;
      }
      default:
        throw new Error(`explore workers: record kind ${kind}`);
    }
  }
  return true;
}
