// drm_pagemap_migrate_to_devmem()'s pre_migrate_fence (issue 21): xe hands the new VRAM BO's
// unsignalled clear to drm_pagemap_devmem_init(), and copy_to_devmem waits for (pipelines behind)
// it. The model's xe copies only after the clear; a copy that does not wait is overwritten by the
// clear, and no-data-loss names it. That copy is built here with withSteps and is not a catalog
// entry: the rule came into the kernel-doc with a 2025 fix, and the catalog keeps to rules that
// are not that history (see the README's xe section).
import { describe, expect, it } from 'vitest';
import { cpuRead, cpuWrite, gpuRead, mmap, oneGpu } from './helpers.js';
import { lcgSchedules } from './lcgSchedules.js';
import { execute } from '../check/execute.js';
import { withSteps } from '../api/withSteps.js';
import { xe } from '../drivers/xe.js';
import type { XeMigrateToDevmemLocals } from '../drivers/xe/drmPagemapMigrateToDevmem.js';
import { migrationById } from '../model/kernel/migrate.js';
import { count, yieldTo } from '../model/proc.js';
import { PAGES, mut } from '../model/touched.js';
import type { Program } from '../model/program.js';

const program = (schedule: number[]): Program => ({
  config: { ...oneGpu, gpus: [{ mem: 'private', vram: 4, hive: 0 }] },
  ops: [mmap(1), cpuWrite(0), gpuRead(0), cpuRead(0)],
  schedule,
  faults: [],
});

const schedules = (n: number, len: number): number[][] => lcgSchedules(n, len, 2026, 4);

/** xe whose copy_to_devmem ignores the pre_migrate_fence: it copies while the BO's clear may still run. */
const copyIgnoresFence = withSteps<XeMigrateToDevmemLocals>(xe, 'drm_pagemap_migrate_to_devmem', {
  copy(env, l) {
    const s = env.s;
    const m = migrationById(s, l.mig);
    m.src.forEach((src, i) => {
      const d = s.phys[m.dst[i] ?? -1];
      if (d) mut(PAGES, d).data = src.hole ? 0 : (s.phys[src.page]?.data ?? 0);
    });
    count(env, 'test: copied without waiting for the pre_migrate_fence');
    return yieldTo('pages');
  },
});

const stat = (r: ReturnType<typeof execute>, key: string): number => r.stats.get(key) ?? 0;

describe('xe: copy_to_devmem waits for the allocation pre_migrate_fence', () => {
  it('xe: the clear of the new BO lands before the copied data, on every schedule', () => {
    let cleared = 0;
    for (const sched of schedules(80, 40)) {
      const r = execute(xe, program(sched));
      expect(r.violation).toBeNull();
      // Every migration's BO was cleared before its pages went live (the copy waited for it).
      if (stat(r, 'xe: pages migrated to gpu0') > 0)
        expect(stat(r, 'xe: VRAM BO cleared (pre_migrate_fence signalled)')).toBeGreaterThan(0);
      cleared += stat(r, 'xe: VRAM BO cleared (pre_migrate_fence signalled)');
    }
    expect(cleared).toBeGreaterThan(0);
  });

  it('a copy that does not wait loses the data the CPU wrote when the clear runs after it (no-data-loss)', () => {
    const found = schedules(80, 40)
      .map((sched) => execute(copyIgnoresFence, program(sched)).violation?.invariant)
      .filter((x) => x !== undefined);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set(['no-data-loss']));
  });
});
