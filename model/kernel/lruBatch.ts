// The per-CPU LRU folio batches (mm/swap.c, 6.1 to 7.0): a new anonymous folio, or one put back
// after migration, is not added to its LRU list at once. folio_add_lru() / folio_add_lru_vma() queue
// it in the running CPU's cpu_fbatches.lru_add batch, and folio_test_lru() is false until that batch
// is moved to the LRU: when it fills (kernelRules.ts folio_batch_size), by lru_add_drain() on that CPU, or by
// lru_add_drain_all(), which queues lru_add_drain_per_cpu() on every CPU whose batches hold folios
// (cpu_needs_drain()) and sleeps in flush_work() until each has run: work bound to that CPU.
//
// migrate_device_unmap() (mm/migrate_device.c, every version modelled) drains its own CPU first and
// calls lru_add_drain_all() at the first collected system folio that is not on the LRU, before it
// isolates it and before try_to_migrate() unmaps the later folios' other mappings. With the device
// folios it collected still locked, that is the wait behind "mm: Fix a hmm_range_fault() livelock /
// starvation problem" (b570f37a2ce4): under PREEMPT_NONE or VOLUNTARY, a hmm_range_fault() busy
// retrying one of those locked folios on a CPU whose batch holds a folio keeps the drain work from
// running (model/kernel/hmm.ts).
//
// The batches are modelled only when CPUs are (Config.cpus): without CPUs, work runs anywhere and a
// batch adds nothing a run could observe, and every folio is on the LRU as before. The batch's own
// folio reference is not modelled: migrate_device_unmap() drains before the isolation and the
// reference check that would see it; elsewhere (do_wp_page()'s reuse check) the model keeps its
// earlier simplification. A folio freed while in a batch leaves it.
import type { Env } from '../proc.js';
import { block, bump, count, defineProc, goto, ret } from '../proc.js';
import { spawn } from '../spawn.js';
import type { State } from '../types.js';
import { PAGES, mut } from '../touched.js';
import { tryLock, unlock } from '../locks.js';
import { kernelRule } from '../kernelRules.js';

/** The static mutex of __lru_add_drain_all() (mm/swap.c). */
export const LRU_DRAIN_LOCK = 'lru_add_drain_all.lock';
const PENDING = 'lru_add_drain_all pending';

/** The CPU the running activity is on, or -1 when CPUs are not modelled. */
function runningCpu(env: Env): number {
  return env.s.cfg.cpus === undefined ? -1 : env.act.cpu;
}

/** folio_test_lru() is false: the folio waits in CPU `lru`'s batch. */
export const inLruBatch = (s: State, page: number): boolean => (s.phys[page]?.lru ?? -1) >= 0;

/** cpu_needs_drain(): CPU `cpu`'s batches hold a folio. */
export function cpuNeedsDrain(s: State, cpu: number): boolean {
  for (const pg of s.phys) if (pg.lru === cpu) return true;
  return false;
}

/** folio_batch_move_lru() of CPU `cpu`'s lru_add batch: its folios reach the LRU. */
function moveBatchToLru(s: State, cpu: number): void {
  for (const pg of s.phys) if (pg.lru === cpu) delete mut(PAGES, pg).lru;
}

/**
 * folio_add_lru() on the running CPU: a system folio joins its batch; a full batch goes to the LRU
 * (folio_batch_add() returned 0). Device folios are never on an LRU.
 */
export function lruBatchAdd(env: Env, page: number): void {
  const cpu = runningCpu(env);
  const pg = env.s.phys[page];
  // A large folio goes to the LRU at once (folio_test_large() in folio_add_lru()).
  if (cpu < 0 || !pg || pg.free || pg.gpu >= 0 || pg.head !== undefined) return;
  mut(PAGES, pg).lru = cpu;
  let n = 0;
  for (const x of env.s.phys) if (x.lru === cpu) n++;
  if (n >= Number(kernelRule(env.s.cfg, 'folio_batch_size'))) moveBatchToLru(env.s, cpu);
}

/** lru_add_drain(): the running CPU's batch goes to the LRU. */
export function lruAddDrain(env: Env): void {
  const cpu = runningCpu(env);
  if (cpu >= 0) moveBatchToLru(env.s, cpu);
}

interface DrainAllL {
  /** lru_drain_gen when the call began ((A) in __lru_add_drain_all()). */
  gen: number;
}

const GEN = 'lru_drain_gen';

/**
 * lru_add_drain_all() - move every CPU's batched folios to the LRU (mm/swap.c
 * __lru_add_drain_all(), 6.1 to 7.0).
 *
 * Models: read lru_drain_gen, take the static mutex (sleeping), return at once if another caller's
 * drain began meanwhile (its flush covers ours), else bump the generation, queue_work_on() the
 * per-CPU drain on every CPU that needs it (mm_percpu_wq, a per-CPU workqueue: the item runs only on
 * that CPU) and flush_work() each.
 *
 * Context: process context, may sleep; takes and releases lru_add_drain_all's mutex.
 * Returns: nothing, once every queued drain has run.
 */
export const lruAddDrainAll = defineProc<DrainAllL>('lru_add_drain_all', {
  start(env, l) {
    l.gen = env.s.counters[GEN] ?? 0;
    return goto('lock');
  },
  lock(env, l) {
    if (!tryLock(env, LRU_DRAIN_LOCK, 'w')) return block({ k: 'lock', name: LRU_DRAIN_LOCK, mode: 'w' });
    const s = env.s;
    if ((s.counters[GEN] ?? 0) !== l.gen) {
      unlock(env, LRU_DRAIN_LOCK);
      return ret(0);
    }
    bump(env, GEN, 1);
    count(env, 'mm: lru_add_drain_all() drained every CPU');
    const n = s.cfg.cpus ?? 0;
    for (let cpu = 0; cpu < n; cpu++)
      if (cpuNeedsDrain(s, cpu)) {
        bump(env, PENDING, 1);
        spawn(s, 'kworker', -1, 'lru_add_drain_per_cpu', { cpu }).bound = cpu;
      }
    return goto('flush');
  },
  flush(env) {
    // flush_work() on each queued item: sleep until the last one ran.
    if ((env.s.counters[PENDING] ?? 0) > 0) return block({ k: 'counter', key: PENDING, until: 0 });
    unlock(env, LRU_DRAIN_LOCK);
    return ret(0);
  },
});

/** lru_add_drain_per_cpu(): the work item, on its CPU: lru_add_drain() there. */
export const lruAddDrainPerCpu = defineProc<{ cpu: number }>('lru_add_drain_per_cpu', {
  start(env, l) {
    moveBatchToLru(env.s, l.cpu);
    bump(env, PENDING, -1);
    return ret(0);
  },
});
