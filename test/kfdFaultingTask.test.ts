// svms->faulting_task (kfd_migrate.c svm_migrate_to_ram at torvalds/linux 057ad0ef4da6, set around
// amdgpu_hmm_range_get_pages in svm_range_validate_and_map): the triage of the livelock c24dc74 met
// on fresh seeds. A move to system memory that leaves a page in VRAM (here migrate_vma_collect's
// folio_trylock fails: cpages 0, which svm_migrate_vram_to_ram reports as success) is followed by
// validate_and_map's hmm_range_fault with owner NULL (GPUs of two hives); it faults the page, and
// upstream's skip returns 0 without migrating, for ever (catalog entry kfd-faulting-task-livelock,
// archived open). `kfd` migrates the page there (the svm family's migrate_to_ram) and completes.
import { describe, expect, it } from 'vitest';
import { kfdFaultingTaskLivelock } from '../drivers/broken/kfdFaultingTaskLivelock.js';
import { kfd } from '../drivers/kfd.js';
import type { Config } from '../model/config.js';
import type { Op } from '../model/ops.js';
import { mmap, oneGpu, run, setAttr } from './helpers.js';

/** Two GPUs of one VRAM page each, XNACK off; the second in hive `hive2`. */
const gpus = (hive2: number): Config => ({
  ...oneGpu,
  xnack: 'off',
  gpus: [
    { mem: 'private', vram: 1, hive: 0 },
    { mem: 'private', vram: 1, hive: hive2 },
  ],
});

// Prefetch to gpu0 (the page goes to its VRAM), then access for both GPUs: with gpu1 in another
// hive svm_range_best_prefetch_location says system memory, and set_attr moves the range back.
const ops: Op[] = [
  mmap(1),
  setAttr([{ t: 'prefetch', v: 1 }]),
  setAttr([
    { t: 'access', v: 0 },
    { t: 'access', v: 1 },
  ]),
];
// The second migrate_vma_setup (the move to system memory) finds page 0 locked: not collected.
const busy = [0, 1];
const SKIPPED = 'migrate_to_ram: faulting_task, migration skipped';

describe('svms->faulting_task against a page a move to system memory left in VRAM', () => {
  it('kfd: the hmm_range_fault of validate_and_map migrates the page left behind, and set_attr completes', () => {
    const r = run(ops, { driver: kfd, config: gpus(1), faults: busy });
    expect(r.violation).toBeNull();
    expect(r.stats.get('migrate_to_ram')).toBeGreaterThan(0);
    expect(r.state.procs[0]?.pt[0]?.t).toBe('p');
  });

  it("upstream's skip: hmm_range_fault with owner NULL faults that page for ever (forward-progress)", () => {
    const r = run(ops, { driver: kfdFaultingTaskLivelock, config: gpus(1), faults: busy });
    expect(r.violation?.invariant).toBe('forward-progress');
    expect(r.violation?.kind).toBe('livelock');
    expect(r.stats.get(SKIPPED)).toBeGreaterThan(0);
  });

  it('the skip is harmless when the move migrated every page', () => {
    const r = run(ops, { driver: kfdFaultingTaskLivelock, config: gpus(1) });
    expect(r.violation).toBeNull();
    expect(r.stats.get(SKIPPED)).toBeUndefined();
  });

  it('and when both GPUs are of one hive (one pgmap owner): the range stays in VRAM, nothing is faulted', () => {
    const r = run(ops, { driver: kfdFaultingTaskLivelock, config: gpus(0), faults: busy });
    expect(r.violation).toBeNull();
    expect(r.stats.get(SKIPPED)).toBeUndefined();
    expect(r.state.procs[0]?.pt[0]?.t).not.toBe('p');
  });
});
