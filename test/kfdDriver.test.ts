// The kfd driver (drivers/kfd/: amdkfd's SVM as it ships) with XNACK off and on: set_attr maps
// before it returns, an invalidation stops the queues and restore_work revalidates and resumes them,
// a GPU access to memory not registered for it is fatal; and the XNACK-off invariants catch a
// restore that resumes without revalidating.
import { describe, expect, it } from 'vitest';
import { xnackFlag } from '../cli/xnackFlag.js';
import { kfd } from '../drivers/kfd.js';
import { reference } from '../drivers/reference.js';
import { goto } from '../model/proc.js';
import type { Op } from '../model/ops.js';
import { withSteps } from '../api/withSteps.js';
import { cpuWrite, events, eventsOf, gpuRead, mmap, oneGpu, run, setAttr } from './helpers.js';

const xnackOff = { ...oneGpu, xnack: 'off' as const };
const access = (len: number, gpu = 0): Op => setAttr([{ t: 'access', v: gpu }], len);
const dontneed = (off: number, len: number): Op => ({
  op: 'madvise_dontneed',
  on: 0,
  proc: 0,
  vma: 0,
  off,
  len,
});

describe('kfd with XNACK off', () => {
  it('set_attr maps every page for the GPU with access before it returns: the access does not fault', () => {
    const r = run([mmap(2), cpuWrite(0), access(2), gpuRead(0)], { driver: kfd, config: xnackOff });
    expect(r.violation).toBeNull();
    const all = events(r);
    const setDone = all.findIndex((e) => e.e === 'svm-set-attr');
    const maps = all.filter((e, i) => e.e === 'gpu-map' && i < setDone);
    expect(maps.map((e) => (e.e === 'gpu-map' ? e.vpn : -1)).sort()).toEqual([0, 1]);
    expect(eventsOf(r, 'gpu-fault')).toEqual([]);
    expect(eventsOf(r, 'gpu-read')[0]).toMatchObject({ vpn: 0 });
    const read = eventsOf(r, 'gpu-read')[0];
    expect(read?.v).toBe(read?.want);
  });

  it('an invalidation stops the queues; restore_work revalidates and resumes them', () => {
    const r = run([mmap(1), cpuWrite(0), access(1), dontneed(0, 1), gpuRead(0)], {
      driver: kfd,
      config: xnackOff,
    });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'queues').map((e) => `${e.what} ${e.evicted}`)).toEqual(['quiesce 1', 'resume 0']);
    // The GPU PTE was not zapped by the notifier: restore_work remapped it (to the zero page).
    expect(eventsOf(r, 'gpu-zap')).toEqual([]);
    expect(eventsOf(r, 'gpu-fault')).toEqual([]);
    const read = eventsOf(r, 'gpu-read')[0];
    expect(read?.v).toBe(read?.want);
  });

  it('a GPU access to memory not registered for it is fatal, and not a violation', () => {
    const r = run([mmap(1), cpuWrite(0), gpuRead(0)], { driver: kfd, config: xnackOff });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'gpu-error')).toMatchObject([{ gpu: 0, vpn: 0, err: 'EFAULT' }]);
  });

  it('a restore_work that resumes without revalidating is caught by xnack-off-restore-fresh', () => {
    const lazy = withSteps(kfd, 'restore_work', { next: () => goto('resume') }, { name: 'kfd-lazy-restore' });
    const r = run([mmap(1), cpuWrite(0), access(1), dontneed(0, 1)], { driver: lazy, config: xnackOff });
    expect(r.violation).toMatchObject({ invariant: 'xnack-off-restore-fresh', cls: 'coherence' });
  });
});

describe('kfd with XNACK on', () => {
  it('an invalidation unmaps the GPU and stops no queue; the next access retries', () => {
    const r = run([mmap(1), cpuWrite(0), gpuRead(0), dontneed(0, 1), gpuRead(0)], { driver: kfd });
    expect(r.violation).toBeNull();
    expect(eventsOf(r, 'queues')).toEqual([]);
    expect(eventsOf(r, 'gpu-zap').length).toBeGreaterThan(0);
    expect(eventsOf(r, 'gpu-fault').length).toBe(2);
  });
});

describe('--xnack', () => {
  it('off is refused for a driver that models recoverable faults only', () => {
    expect(() => xnackFlag('run', 'off', reference)).toThrow(/--xnack off needs a driver that follows it/);
    expect(xnackFlag('run', 'off', kfd)).toBe('off');
    expect(() => xnackFlag('run', 'maybe', kfd)).toThrow(/must be on or off/);
  });
});
