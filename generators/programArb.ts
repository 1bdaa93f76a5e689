import fc from 'fast-check';
import type { Program } from '../model/program.js';
import { configArb } from './configArb.js';
import { mmapArb, opArb } from './opArb.js';
import type { Profile } from './profiles.js';

/**
 * A whole program: scale, operations, schedule and fault stream. The schedule is explicit data
 * (not fast-check's scheduler) so that interleavings shrink like any other input: toward fewer
 * entries and toward 0, the program-order choice.
 */
export function programArb(profile: Profile): fc.Arbitrary<Program> {
  const fault = fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.nat({ max: 0xff }) },
    { weight: 1, arbitrary: fc.nat({ max: 0xff }).map((x) => x << 8) },
  );
  return fc.record({
    config: configArb(profile),
    // Every program starts by mapping memory, so that runs are not spent on operations with no target.
    ops: fc
      .tuple(mmapArb, fc.array(opArb(profile), { maxLength: profile.maxOps - 1, size: 'max' }))
      .map(([first, rest]) => [first, ...rest]),
    schedule: fc.array(fc.nat({ max: 7 }), { maxLength: 3 * profile.maxOps, size: 'max' }),
    faults: fc.array(fault, { maxLength: 6 }),
  });
}
