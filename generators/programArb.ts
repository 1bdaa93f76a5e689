import fc from 'fast-check';
import type { Op } from '../model/ops.js';
import type { Program } from '../model/program.js';
import type { Config } from '../model/types.js';
import { configArb } from './configArb.js';
import { mmapArb, opArb } from './opArb.js';
import type { Profile } from './profiles.js';

const faultArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.nat({ max: 0xff }) },
  { weight: 1, arbitrary: fc.nat({ max: 0xff }).map((x) => x << 8) },
);

/**
 * A whole program: scale, operations, schedule and fault stream. The schedule is explicit data
 * (not fast-check's scheduler) so that interleavings shrink like any other input: toward fewer
 * entries and toward 0, the program-order choice.
 */
export function programArb(profile: Profile): fc.Arbitrary<Program> {
  if (profile.registerRange) return registeredProgramArb(profile);
  return fc.record({
    config: configArb(profile),
    // Every program starts by mapping memory, so that runs are not spent on operations with no target.
    ops: fc
      .tuple(mmapArb, fc.array(opArb(profile), { maxLength: profile.maxOps - 1, size: 'max' }))
      .map(([first, rest]) => [first, ...rest]),
    schedule: fc.array(fc.nat({ max: 7 }), { maxLength: 3 * profile.maxOps, size: 'max' }),
    faults: fc.array(faultArb, { maxLength: 6 }),
  });
}

/**
 * Profile.registerRange: the first mapping (at VA page 0, the lowest gap) registered as kfdtest's
 * RegisterSVMRange does (KFD_IOCTL_SVM_ATTR_ACCESS for every GPU, set_attr's other attributes at
 * their defaults), then the profile's operations with every set_attr and munmap aimed at that
 * range whole and NO_ACCESS read as ACCESS: ranges are created and removed whole, never cut.
 */
function registeredProgramArb(profile: Profile): fc.Arbitrary<Program> {
  return configArb(profile).chain((config: Config) =>
    fc.record({
      config: fc.constant(config),
      ops: fc
        .tuple(mmapArb, fc.array(opArb(profile), { maxLength: profile.maxOps - 2, size: 'max' }))
        .map(([first, rest]) => {
          const len = first.op === 'mmap' ? first.pages : 1;
          const register: Op = {
            op: 'svm_set_attr',
            on: 0,
            proc: 0,
            vma: 0,
            off: 0,
            len,
            attrs: config.gpus.map((_, g) => ({ t: 'access' as const, v: g })),
          };
          return [first, register, ...rest.map((op) => wholeRange(op, len))];
        }),
      schedule: fc.array(fc.nat({ max: 7 }), { maxLength: 3 * profile.maxOps, size: 'max' }),
      faults: fc.array(faultArb, { maxLength: 6 }),
    }),
  );
}

/** A set_attr or munmap aimed at the registered range whole; other operations as drawn. */
function wholeRange(op: Op, len: number): Op {
  if (op.op === 'munmap') return { ...op, proc: 0, vma: 0, off: 0, len };
  if (op.op !== 'svm_set_attr') return op;
  const attrs = op.attrs.map((a) => (a.t === 'noaccess' ? { ...a, t: 'access' as const } : a));
  return { ...op, proc: 0, vma: 0, off: 0, len, attrs };
}
