// driver-object-lifetime over drm_gpusvm's objects (drivers/gpusvm/gpusvmRefs.ts): the registered
// interval notifier, each range's notifier and the garbage collector's list point to live objects
// in the gpusvm driver's runs, and a notifier freed under its ranges is a use-after-free finding.
import { describe, expect, it } from 'vitest';
import { gpusvm } from '../drivers/gpusvm.js';
import type { GpusvmState } from '../drivers/gpusvm/gpusvmState.js';
import type { Op } from '../model/ops.js';
import { driverObjectLifetime } from '../properties/driverObjectLifetime.js';
import { gpuRead, gpuWrite, mmap, run } from './helpers.js';
import { findingWords } from '../report/findingWords/index.js';

const munmap = (off: number, len: number): Op => ({ op: 'munmap', on: 0, proc: 0, vma: 0, off, len });

describe('drm_gpusvm object lifetime (Driver.refs)', () => {
  it('a GPU fault leaves the notifier registration and the range pointing to a live notifier', () => {
    const r = run([mmap(4), gpuWrite(0), gpuRead(2)], { driver: gpusvm });
    expect(r.violation).toBeNull();
    const refs = gpusvm.refs?.(r.state) ?? [];
    expect(refs.some((x) => x.holder.startsWith('mmu_interval_notifier'))).toBe(true);
    expect(refs.some((x) => x.holder.endsWith('(range->notifier)'))).toBe(true);
    expect(refs.every((x) => x.live)).toBe(true);
  });

  for (const k of [0, 1, 2])
    it(`munmap and exit beside GPU faults leave no dangling pointer (schedule ${k})`, () => {
      const ops: Op[] = [mmap(4), gpuWrite(0), munmap(0, 2), gpuRead(1), { op: 'exit', on: 0, proc: 0 }];
      const r = run(ops, { driver: gpusvm, schedule: [k, k, k, k] });
      expect(r.violation).toBeNull();
      expect((gpusvm.refs?.(r.state) ?? []).filter((x) => !x.live)).toEqual([]);
    });

  it('a gpusvm notifier freed while a range still points to it is a use-after-free', () => {
    const r = run([mmap(4), gpuWrite(0)], { driver: gpusvm });
    const st = r.state.drv as GpusvmState;
    const nid = st.ranges[0]?.nid;
    expect(nid).toBeDefined();
    // What drm_gpusvm_range_remove() must not do: kfree the notifier while its range tree holds a range.
    st.notifiers = st.notifiers.filter((n) => n.nid !== nid);
    const f = driverObjectLifetime.check(r.state, [], gpusvm);
    expect(f && findingWords('driver-object-lifetime', f).message).toMatch(
      new RegExp(`use-after-free: drm_gpusvm_notifier ${String(nid)} freed while`),
    );
  });
});
