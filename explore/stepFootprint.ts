// A move's footprint, for partial-order reduction: the State fields the step read and the ones it
// may have written. Reads are recorded by a proxy over the state's top level, so a read is a whole
// field (`procs`, `locks`): nothing finer is known. Writes are the fields of the regions the step
// marked (model/touched.ts), the top-level fields it assigned, and every unmarked mutable field it
// read (locks, activities, migrations, counters: State has no write marks for those, so a read of
// one may have been a write).
import type { LockEdge } from '../model/lockdep/lockEdge.js';
import { REGION_BITS, REGION_FIELDS, type Region } from '../model/touched.js';
import type { State } from '../model/types.js';
import type { Applied, Transitions } from './Transitions.js';

export interface StepFootprint {
  applied: Applied;
  reads: ReadonlySet<string>;
  writes: ReadonlySet<string>;
}

/** Fields that never change after the initial state, or that the explorer resets before each move. */
const CONSTANT = new Set<string>(['cfg', 'vramBase', 'faultIdx']);
/** Mutable fields outside the write-marked regions. */
const UNMARKED = [
  'locks',
  'acts',
  'migrations',
  'counters',
  'pagesToFree',
  'reinitialised',
  'nextAct',
  'nextMig',
  'writeSeq',
];

/** Applies the move as Transitions.apply does (in place) and records its footprint. */
export function stepFootprint(
  t: Transitions,
  s: State,
  edges: Map<string, LockEdge>,
  agent: number,
  op: number,
  faults: readonly number[],
  step: number,
): StepFootprint {
  const reads = new Set<string>();
  const writes = new Set<string>();
  const seen = new Proxy(s, {
    get(target, key) {
      if (typeof key === 'string' && !CONSTANT.has(key)) reads.add(key);
      return Reflect.get(target, key) as unknown;
    },
    set(target, key, value) {
      if (typeof key === 'string' && !CONSTANT.has(key)) writes.add(key);
      return Reflect.set(target, key, value);
    },
  });
  const applied = t.apply(seen, edges, agent, op, faults, step);
  applied.s = s;
  for (const r of Object.keys(REGION_BITS) as Region[])
    if (applied.written & REGION_BITS[r]) for (const f of REGION_FIELDS[r]) writes.add(f);
  for (const f of UNMARKED) if (reads.has(f)) writes.add(f);
  return { applied, reads, writes };
}
