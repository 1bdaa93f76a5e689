// The drm_pagemap's refcount, cache and shrinker in xe (drivers/xe/drmPagemap.ts): the holders
// (VMs, zdds, preferred locations) and kref-accounting over them, parking at zero and revival by the
// next lookup, the shrinker's race with a lookup, a pagemap outliving its device's unbind while a
// preferred location holds it, madvise refused for an unplugged device, no pagemap left with a
// reference once everything is torn down, and the revival rule of struct drm_pagemap_cache broken
// (found by the explorer; selfcheck's random search does not reach it within 60 s, so it is not a
// catalog entry). The upstream use-after-free in drm_pagemap_cache_fini is xe's open finding.
import { describe, expect, it } from 'vitest';
import { defineDriver } from '../api/defineDriver.js';
import { withSteps } from '../api/withSteps.js';
import { execute, type ExecResult } from '../check/execute.js';
import { xe } from '../drivers/xe.js';
import { drmPagemapShrinkerCancel } from '../drivers/xe/drmPagemap.js';
import {
  pagemapLookupMutex,
  xePagemapFindOrCreate,
  type XeFindOrCreateLocals,
} from '../drivers/xe/xePagemapFindOrCreate.js';
import { pagemapById, xeState, type XeState } from '../drivers/xe/xeState.js';
import { explore } from '../explore/explore.js';
import { scopeByName } from '../explore/scopes.js';
import { drmDevExit } from '../model/devmem.js';
import { unlock } from '../model/locks.js';
import type { Op } from '../model/ops.js';
import { openFindingFor } from '../model/openFinding.js';
import { goto } from '../model/proc.js';
import type { Config } from '../model/types.js';
import { krefAccounting } from '../properties/krefAccounting.js';
import { gpuWrite, mmap, oneGpu, setAttr } from './helpers.js';

// Two devices of one interconnect group, four VRAM pages each.
const cfg: Config = { ...oneGpu, gpus: [0, 1].map(() => ({ mem: 'private' as const, vram: 4, hive: 0 })) };
const exit: Op = { op: 'exit', on: 0, proc: 0 };
const unbind = (gpu: number): Op => ({ op: 'device_unbind', on: 0, proc: 0, gpu });
const reclaim = (on: number): Op => ({ op: 'reclaim', on, proc: 0 });
/** madvise's preferred location over VMA 0's four pages: 0 system, g + 1 GPU g. */
const pref = (v: number, on = 0): Op => ({ ...setAttr([{ t: 'preferred', v }], 4), on }) as Op;
const drv = (r: ExecResult): XeState => r.state.drv as XeState;
const runPhases = (ops: Op[], phases = ops.map((_, i) => i), schedule: number[] = []): ExecResult =>
  execute(xe, { config: cfg, ops, schedule, faults: [] }, { trace: true, phases });

describe('drm_pagemap refcount, cache and shrinker (xe)', () => {
  it("a VM's pagemap is parked at exit and destroyed by the shrinker; nothing keeps a reference after teardown", () => {
    const opened = runPhases([mmap(4), gpuWrite(0)]);
    expect(opened.violation).toBeNull();
    expect(drv(opened).vms).toEqual([{ gpu: 0, pid: 0, dpagemap: 0 }]);
    // The VM and the zdd of the migrated range each hold one.
    expect(drv(opened).pagemaps[0]?.ref).toBe(2);
    const gone = runPhases([mmap(4), gpuWrite(0), exit]);
    expect(gone.violation).toBeNull();
    expect(drv(gone).pagemaps).toEqual([{ id: 0, gpu: 0, ref: 0, listed: true }]);
    expect(drv(gone).shrinkList[0]).toEqual([0]);
    expect(xe.krefs?.(gone.state).every((k) => k.kref === 0 && k.holders.length === 0)).toBe(true);
    expect(krefAccounting.check(gone.state, [], xe)).toBeNull();
  });

  it('an unused pagemap is revived by the next lookup, or destroyed by reclaim and created anew', () => {
    const revived = runPhases([mmap(4), pref(2), pref(0), pref(2)]);
    expect(revived.violation).toBeNull();
    expect(revived.stats.get('xe: drm_pagemap revived from the cache')).toBe(1);
    expect(pagemapById(drv(revived), 0)?.ref).toBe(4);
    const shrunk = runPhases([mmap(4), pref(2), pref(0), reclaim(0), pref(2)]);
    expect(shrunk.violation).toBeNull();
    expect(shrunk.stats.get('xe: drm_pagemap shrunk')).toBe(1);
    expect(drv(shrunk).pagemaps.map((p) => [p.gpu, p.ref])).toEqual([[1, 4]]);
    expect(drv(shrunk).pagemaps[0]?.id).not.toBe(0);
  });

  it('a lookup that loses the race with the shrinker creates a new pagemap, which the shrinker then clears from the cache', () => {
    // The shrinker takes the parked pagemap off its list and is preempted; madvise on another
    // thread finds it inactive and off the list (drm_pagemap_shrinker_cancel fails), creates a new
    // one and sets it in the cache; the shrinker then clears cache->dpagemap and destroys the old.
    const r = runPhases([mmap(4), pref(2), pref(0), reclaim(1), pref(2, 0)], [0, 1, 2, 3, 3], [0, 1]);
    expect(r.violation).toBeNull();
    expect(r.stats.get('xe: drm_pagemap lookup lost the race with the shrinker, new pagemap')).toBe(1);
    const st = drv(r);
    expect(st.pagemaps.filter((p) => p.gpu === 1).map((p) => p.ref)).toEqual([4]);
    // Upstream as read: the new, active pagemap is no longer the cache's.
    expect(st.cache[1]).toBe(-1);
  });

  it('madvise naming an unplugged device is refused; a preferred location keeps the pagemap past the unbind', () => {
    const refused = runPhases([mmap(4), unbind(1), pref(2)]);
    expect(refused.violation).toBeNull();
    expect(drv(refused).pagemaps.filter((p) => p.gpu === 1)).toEqual([]);
    const kept = runPhases([mmap(4), pref(2), unbind(1), gpuWrite(0)]);
    expect(kept.violation).toBeNull();
    // The pagemap of the removed device lives on, held by the four preferred locations; the fault
    // that prefers it is refused device memory (populate_mm: -ENODEV) and stays in system memory.
    expect(
      drv(kept)
        .pagemaps.filter((p) => p.gpu === 1)
        .map((p) => p.ref),
    ).toEqual([4]);
    expect(drv(kept).cache[1]).toBe(-2);
    expect(drv(kept).devmem).toEqual([]);
  });

  it("xe's open finding: the cache's pointer to a pagemap freed after unplug (drm_pagemap_cache_fini reads it)", () => {
    const r = execute(xe, {
      config: {
        vaPages: 8,
        sysPages: 40,
        maxProcs: 3,
        kernel: '7.0',
        gpus: [{ mem: 'private', vram: 1, hive: 0 }],
      },
      ops: [mmap(1), gpuWrite(0), unbind(0), { ...exit, on: 1 }],
      schedule: [],
      faults: [],
    });
    expect(r.violation?.invariant).toBe('driver-object-lifetime');
    if (!r.violation) return;
    expect(openFindingFor(xe.openFindings, r.violation, r.state, r.stats)).toBe('xe-f7753bac3965');
  });

  it('a lookup reviving a pagemap the shrinker already took off its list is found by the explorer (kref-accounting)', () => {
    const revivesAnyway = defineDriver(
      withSteps<XeFindOrCreateLocals>(
        xe,
        'xe_pagemap_find_or_create',
        {
          lookup(env, l) {
            const st = xeState(env.s);
            const p = pagemapById(st, st.cache[l.gpu] ?? -1);
            if (!p) return goto('create');
            // The rule broken: drm_pagemap_shrinker_cancel()'s failure ignored.
            if (p.ref === 0) drmPagemapShrinkerCancel(st, p);
            p.ref++;
            l.id = p.id;
            unlock(env, pagemapLookupMutex(l.gpu));
            drmDevExit(env.s, l.gpu);
            return xePagemapFindOrCreate.ret(l.id);
          },
        },
        { name: 'xe-pagemap-revive-ignores-shrinker' },
      ),
    );
    const scope = scopeByName('multi-device-pagemap');
    if (!scope) throw new Error('no scope multi-device-pagemap');
    const r = explore(revivesAnyway, scope, { depth: 7, maxStates: 200_000, symmetry: true });
    expect(r.violation?.problem.invariant).toBe('kref-accounting');
    expect(r.violation?.moves.length).toBe(7);
    expect(explore(xe, scope, { depth: 6, maxStates: 200_000, symmetry: true }).violation).toBeNull();
  }, 120_000);
});
