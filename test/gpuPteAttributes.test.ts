// gpu-pte-honours-attributes: GPU PTEs follow what set_attr said (GPU_RO, NO_ACCESS), not only the
// CPU page table.
import { describe, expect, it } from 'vitest';
import { builtinDriver } from '../drivers/builtins.js';
import { reference } from '../drivers/reference.js';
import type { Op } from '../model/ops.js';
import { FLAG_GPU_ALWAYS_MAPPED, FLAG_GPU_RO } from '../model/uapi.js';
import { cpuWrite, eventsOf, gpuRead, mmap, run, setAttr } from './helpers.js';

const setFlags = (v: number): Op => setAttr([{ t: 'set_flags', v }]);

describe('gpu-pte-honours-attributes', () => {
  const ops: Op[] = [mmap(1), cpuWrite(0), setFlags(FLAG_GPU_RO | FLAG_GPU_ALWAYS_MAPPED), gpuRead(0)];

  it('the reference maps a GPU read-only range read-only', () => {
    const r = run(ops, { driver: reference });
    expect(eventsOf(r, 'gpu-map').length).toBeGreaterThan(0);
    expect(eventsOf(r, 'gpu-map').every((e) => !e.w)).toBe(true);
    expect(r.violation).toBeNull();
  });

  it('svm-gpu-ro-ignored maps it writable and is caught', () => {
    const d = builtinDriver('svm-gpu-ro-ignored');
    if (!d) throw new Error('svm-gpu-ro-ignored');
    const r = run(ops, { driver: d });
    expect(r.violation).toMatchObject({ invariant: 'gpu-pte-honours-attributes', cls: 'range' });
  });
});
