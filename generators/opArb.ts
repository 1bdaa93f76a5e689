import fc from 'fast-check';
import { match } from 'ts-pattern';
import type { Op, OpKind } from '../model/ops.js';
import { OP_KINDS } from '../model/ops.js';
import type { Profile } from './profiles.js';

const thread = fc.integer({ min: 0, max: 1 });
const small = fc.nat({ max: 3 });
const off = fc.nat({ max: 7 });
const len = fc.integer({ min: 1, max: 4 });
const prot = fc.constantFrom('rw' as const, 'r' as const, 'none' as const);

/** Attributes as KFD_IOCTL_SVM_ATTR_*: locations -1 (undefined), 0 (system), 1..3 (gpu_id; 3 may not exist). */
const loc = fc.integer({ min: -1, max: 3 });
const gpuIdx = fc.integer({ min: 0, max: 3 });
const flag = fc.constantFrom(0x1, 0x2, 0x8, 0x40, 0x8 | 0x40);
const attrArb = fc.oneof(
  fc.record({ t: fc.constant('preferred' as const), v: loc }),
  fc.record({ t: fc.constant('prefetch' as const), v: loc }),
  fc.record({ t: fc.constantFrom('access' as const, 'aip' as const, 'noaccess' as const), v: gpuIdx }),
  fc.record({ t: fc.constantFrom('set_flags' as const, 'clr_flags' as const), v: flag }),
  fc.record({ t: fc.constant('gran' as const), v: fc.integer({ min: 0, max: 3 }) }),
);

function arbOf(kind: OpKind): fc.Arbitrary<Op> {
  return match(kind)
    .returnType<fc.Arbitrary<Op>>()
    .with('mmap', () =>
      fc.record({
        op: fc.constant('mmap' as const),
        on: thread,
        proc: small,
        pages: fc.integer({ min: 1, max: 4 }),
        prot: fc.constantFrom('rw' as const, 'rw' as const, 'r' as const),
        shared: fc.boolean(),
      }),
    )
    .with('munmap', 'madvise_dontneed', (op) =>
      fc.record({ op: fc.constant(op), on: thread, proc: small, vma: small, off, len }),
    )
    .with('mprotect', () =>
      fc.record({
        op: fc.constant('mprotect' as const),
        on: thread,
        proc: small,
        vma: small,
        off,
        len,
        prot,
      }),
    )
    .with('fork', 'exit', (op) => fc.record({ op: fc.constant(op), on: thread, proc: small }))
    .with('cpu_read', 'cpu_write', (op) =>
      fc.record({ op: fc.constant(op), on: thread, proc: small, vma: small, off }),
    )
    .with('gpu_read', 'gpu_write', 'gpu_atomic', (op) =>
      fc.record({ op: fc.constant(op), gpu: small, proc: small, vma: small, off }),
    )
    .with('svm_set_attr', () =>
      fc.record({
        op: fc.constant('svm_set_attr' as const),
        on: thread,
        proc: small,
        vma: small,
        off,
        len,
        attrs: fc.array(attrArb, { minLength: 1, maxLength: 3 }),
      }),
    )
    .with('svm_get_attr', 'gpuvm_map', (op) =>
      fc.record({ op: fc.constant(op), on: thread, proc: small, vma: small, off, len }),
    )
    .with('migrate', () =>
      fc.record({
        op: fc.constant('migrate' as const),
        on: thread,
        gpu: small,
        proc: small,
        vma: small,
        off,
        len,
        to: fc.constantFrom('dev' as const, 'sys' as const),
      }),
    )
    .with('submit', () =>
      fc.record({
        op: fc.constant('submit' as const),
        on: thread,
        gpu: small,
        engine: fc.constantFrom('gfx' as const, 'compute' as const),
        proc: small,
        vma: small,
        off,
        write: fc.boolean(),
        svm: fc.boolean(),
        bo: fc.integer({ min: -1, max: 1 }),
        dep: fc.nat({ max: 2 }),
      }),
    )
    .with('fence_wait', () =>
      fc.record({
        op: fc.constant('fence_wait' as const),
        on: thread,
        proc: small,
        fence: fc.nat({ max: 2 }),
      }),
    )
    .with('reclaim', () => fc.record({ op: fc.constant('reclaim' as const), on: thread, proc: small }))
    .with('device_unbind', () =>
      fc.record({
        op: fc.constant('device_unbind' as const),
        on: thread,
        proc: small,
        gpu: fc.nat({ max: 2 }),
      }),
    )
    .exhaustive();
}

/** A first mapping for every program: private or shared, 1-4 pages, writable. */
export const mmapArb: fc.Arbitrary<Op> = fc.record({
  op: fc.constant('mmap' as const),
  on: fc.constant(0),
  proc: fc.constant(0),
  pages: fc.integer({ min: 1, max: 4 }),
  prot: fc.constant('rw' as const),
  shared: fc.boolean(),
});

/** One operation, drawn with the profile's weights. Targets are relative (n-th live process, n-th VMA). */
export function opArb(profile: Profile): fc.Arbitrary<Op> {
  const parts = OP_KINDS.filter((k) => profile.weights[k] > 0).map((k) => ({
    weight: profile.weights[k],
    arbitrary: arbOf(k),
  }));
  return fc.oneof(...parts);
}
