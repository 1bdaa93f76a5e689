// A mirror with local steps, for partial-order reduction to cut (test/exploreReductionLocal,
// test/porCommuting): its explicit migration first counts to two in its own locals, one preemption
// point per count, before migrating. No built-in driver has such a step.
import { mirror } from '../drivers/mirror.js';
import { scopeByName } from '../explore/scopes.js';
import type { Driver } from '../model/driver.js';
import { defineProc, type StepResult } from '../model/proc.js';

interface Counting {
  counted?: number;
  [arg: string]: unknown;
}

/** drv:migrate with a prologue of local steps (its own counter) before the mirror's migration. */
const countingMigrate = defineProc<Counting>('counting_migrate', {
  start: (_env, l): StepResult => {
    l.counted = 0;
    return { k: 'yield', pc: 'count' };
  },
  count: (_env, l): StepResult => {
    l.counted = (l.counted ?? 0) + 1;
    if (l.counted < 2) return { k: 'yield', pc: 'count' };
    const args = { ...l };
    delete args.counted;
    return { k: 'call', fn: 'drv:mirror_migrate', args, pc: 'done' };
  },
  done: (_env, _l, r): StepResult => ({ k: 'ret', v: r }),
});

export const counting: Driver = {
  ...mirror,
  name: 'mirror-counting',
  procs: { ...mirror.procs, migrate: countingMigrate, mirror_migrate: mirror.procs.migrate },
};

// Two CPU threads, no GPU operation: VRAM is reached only by the explicit migration.
const two = scopeByName('two-threads');
if (!two) throw new Error('no scope two-threads');
export const countingScope = { ...two, kinds: ['mmap', 'munmap', 'cpu_write', 'migrate'] as const };
