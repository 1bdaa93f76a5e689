// explore --workers: the user's command, `svmcheck explore ... --workers N --json`, timed wall-clock
// in a fresh process for N = 1 (in process) and 2, with Node's default flags (not the bench's own
// --single-threaded-gc: the workers' isolates collect garbage in parallel, and on this machine kind
// running them single-threaded made a 2-worker exploration 1.6x slower while the in-process one was
// unchanged, so a flag of the bench's would measure a configuration no user runs). Each run starts
// cold: loading the build and compiling the model's code is part of what a user waits for. The
// exploration is the first depth of the scope whose in-process run takes at least `minSeconds`:
// the bar (x1.7 on 2 workers) is for explorations longer than 30 s, and how deep that is
// depends on the machine.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../archive/packageRoot.js';
import { scopeByName } from '../explore/scopes.js';

export interface ExploreWorkersRow {
  depth: number;
  distinct: number;
  /** Wall-clock seconds in process and with 2 workers. */
  one: number;
  two: number;
  /** The two JSON results are equal (they must be). */
  same: boolean;
}

interface Timed {
  secs: number;
  out: string;
  json: { distinct: number; depthCompleted: number; ok: boolean; complete: boolean };
}

function timedExplore(driver: string, scope: string, depth: number, workers: number): Timed {
  const bin = join(packageRoot(), 'bin', 'svmcheck.js');
  const args = [bin, 'explore', '--driver', driver, '--scope', scope, '--depth', String(depth)];
  args.push('--workers', String(workers), '--max-states', '5000000', '--archive', 'none', '--json');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = (performance.now() - t0) / 1000;
  // 0: clean, 1: a violation, 3: cut short by --max-states.
  if (r.status !== 0 && r.status !== 1 && r.status !== 3)
    throw new Error(`exploreWorkersRow: svmcheck explore exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  const out = r.stdout.trim();
  return { secs, out, json: JSON.parse(out) as Timed['json'] };
}

export function exploreWorkersRow(driver: string, scopeName: string, minSeconds: number): ExploreWorkersRow {
  const scope = scopeByName(scopeName);
  if (!scope) throw new Error(`exploreWorkersRow: no scope ${scopeName}`);
  let depth = scope.depth - 1;
  let a: Timed;
  do {
    depth++;
    a = timedExplore(driver, scopeName, depth, 1);
    // A search that ran dry or stopped at a violation or the cap goes no deeper.
  } while (a.secs < minSeconds && a.json.depthCompleted === depth && a.json.ok && a.json.complete);
  const b = timedExplore(driver, scopeName, depth, 2);
  return { depth, distinct: a.json.distinct, one: a.secs, two: b.secs, same: a.out === b.out };
}
