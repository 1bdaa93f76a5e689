// permitted-access-served: a CPU or GPU access that the VMA and the SVM attributes permit is
// served. The programs below are the cases that invariant was written for; each also runs on the
// driver that must pass it.
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import type { Driver } from '../model/driver.js';
import type { Op } from '../model/ops.js';
import type { Config } from '../model/types.js';
import { cpuRead, cpuWrite, eventsOf, gpuWrite, mmap, run } from './helpers.js';

const bigVram: Config = {
  vaPages: 8,
  sysPages: 40,
  maxProcs: 3,
  gpus: [{ mem: 'private', vram: 8, hive: 0 }],
};

const sigbus = (r: ReturnType<typeof run>): number =>
  eventsOf(r, 'syscall').filter((e) => e.op === 'page fault' && e.err === 'SIGBUS').length;

function driver(name: string): Driver {
  const d = builtinDriver(name);
  if (!d) throw new Error(name);
  return d;
}

describe('permitted-access-served', () => {
  // Issue 17 (kfdtest's KFDSVMRangeTest as scenarios): set_attr with prefetch to the GPU makes two
  // ranges, BOs 0 and 1; a CPU read of a page in BO 1 got SIGBUS because migrate_to_ram took the
  // page's zone_device_data (a BO id) for the owner pid.
  it('a CPU read of a page prefetched into the second BO is served (reference)', () => {
    const ops: Op[] = [
      mmap(8),
      cpuWrite(4),
      { op: 'svm_set_attr', on: 0, proc: 0, vma: 0, off: 0, len: 8, attrs: [{ t: 'prefetch', v: 1 }] },
      cpuRead(4),
    ];
    const r = run(ops, { driver: reference, config: bigVram });
    expect(sigbus(r)).toBe(0);
    expect(r.violation).toBeNull();
  });

  // A fork child reads a page its parent migrated to VRAM (a COW-shared device-private entry).
  const cowChild: Op[] = [mmap(1), gpuWrite(0), { op: 'fork', on: 0, proc: 0 }, cpuRead(0, { proc: 1 })];

  it("a fork child's read of its parent's VRAM page is served (reference)", () => {
    const r = run(cowChild, { driver: reference });
    expect(sigbus(r)).toBe(0);
    expect(r.violation).toBeNull();
  });

  it("svm-cow-child-sigbus looks in the child's svms, finds no range, and is caught", () => {
    const r = run(cowChild, { driver: driver('svm-cow-child-sigbus') });
    expect(sigbus(r)).toBe(1);
    expect(r.violation).toMatchObject({ invariant: 'permitted-access-served', cls: 'access' });
  });

  it('a fault the VMA refuses is not a finding: SIGSEGV on PROT_NONE, EPERM on a read-only write', () => {
    const ops: Op[] = [
      mmap(2, { prot: 'r' }),
      gpuWrite(0),
      { op: 'mprotect', on: 0, proc: 0, vma: 0, off: 1, len: 1, prot: 'none' },
      cpuRead(1),
    ];
    const r = run(ops, { driver: reference });
    expect(eventsOf(r, 'gpu-error').map((e) => e.err)).toEqual(['EPERM']);
    expect(eventsOf(r, 'sigsegv')).toHaveLength(1);
    expect(r.violation).toBeNull();
  });
});
